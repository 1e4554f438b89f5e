// Splits a draft into plain and forbidden segments for highlighting. The backend gives UTF-16 offsets, i.e.
// JavaScript string indices, so slicing the string is exact.
import type { Finding } from '../../api';

export interface Segment {
  text: string;
  hit: Finding | undefined;
}

export function segments(text: string, hits: Finding[]): Segment[] {
  const sorted = [...hits].filter((h) => h.start >= 0 && h.end <= text.length && h.start < h.end).sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let pos = 0;
  for (const h of sorted) {
    if (h.start < pos) continue; // overlapping finding: the earlier one already covers it
    if (h.start > pos) out.push({ text: text.slice(pos, h.start), hit: undefined });
    out.push({ text: text.slice(h.start, h.end), hit: h });
    pos = h.end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), hit: undefined });
  return out;
}
