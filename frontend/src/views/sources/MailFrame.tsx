// A mail message's HTML in a sandboxed iframe: the backend sends it sanitised with a CSP that blocks every
// network load; the iframe has no allow-scripts and no allow-same-origin, so nothing in a hostile mail can
// run or reach the Wails bindings. Remote images load only after the user asks, per message.
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, mail, type MessageHTML } from '../../api';

export default function MailFrame({ eventId, height = 360 }: { eventId: number; height?: number }) {
  const { t } = useTranslation();
  const [remote, setRemote] = useState(false);
  const [doc, setDoc] = useState<MessageHTML>();
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    mail.messageHTML(eventId, remote).then((d) => live && setDoc(d), (e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [eventId, remote]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!doc?.document) return null;
  return (
    <div data-testid="mail-frame">
      {doc.hasRemote && !remote && (
        <Space style={{ marginBottom: 4 }}>
          <Typography.Text type="secondary">{t('sources:remoteBlocked')}</Typography.Text>
          <Button size="small" onClick={() => setRemote(true)} data-testid="show-remote">{t('sources:showRemote')}</Button>
        </Space>
      )}
      <iframe title={`mail-${eventId}`} sandbox="allow-popups allow-popups-to-escape-sandbox" referrerPolicy="no-referrer"
        srcDoc={doc.document} style={{ width: '100%', height, border: '1px solid #eee', background: '#fff' }} />
    </div>
  );
}
