// The HTML of an email, shown only inside a sandboxed iframe. sandbox="" gives the frame a unique opaque
// origin with no scripts, forms, popups or top navigation, so mail content can never reach window.go (the
// bindings) or the app's DOM; the CSP meta additionally blocks every network fetch (tracking pixels, remote
// CSS) while allowing inline images (data:) and inline styles. The backend sanitises the HTML too; this is the
// second wall, not the only one.
export const MAIL_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:";

export function mailDocument(html: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${MAIL_CSP}">` +
    '<style>body{font-family:sans-serif;font-size:14px;margin:8px;color:#222;word-break:break-word}</style>' +
    `</head><body>${html}</body></html>`
  );
}

export default function MailFrame({ html, title }: { html: string; title: string }) {
  return <iframe className="mail-frame" title={title} sandbox="" referrerPolicy="no-referrer" srcDoc={mailDocument(html)} data-testid="mail-frame" />;
}
