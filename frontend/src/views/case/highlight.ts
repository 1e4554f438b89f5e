// Splits a draft into plain and forbidden segments for highlighting. Offsets from the backend count runes
// (Go), so the text is indexed by code points, not UTF-16 units (matters for emoji and rare CJK characters).
import type { PhraseHit } from '../../api';

export interface Segment {
  text: string;
  hit: PhraseHit | undefined;
}

export function segments(text: string, hits: PhraseHit[]): Segment[] {
  const runes = Array.from(text);
  const sorted = [...hits].filter((h) => h.start >= 0 && h.end <= runes.length && h.start < h.end).sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let pos = 0;
  for (const h of sorted) {
    if (h.start < pos) continue; // overlapping hit: the first one already covers it
    if (h.start > pos) out.push({ text: runes.slice(pos, h.start).join(''), hit: undefined });
    out.push({ text: runes.slice(h.start, h.end).join(''), hit: h });
    pos = h.end;
  }
  if (pos < runes.length) out.push({ text: runes.slice(pos).join(''), hit: undefined });
  return out;
}
