import { describe, expect, it } from 'vitest';
import { exportName, lastDays, utf8Base64 } from './range';

describe('review ranges', () => {
  it.each([
    // 2026-06-18 17:30 UTC is already 06-19 in Shanghai
    ['2026-06-18T17:30:00Z', 'Asia/Shanghai', 7, { from: '2026-06-13', to: '2026-06-19' }],
    ['2026-06-18T17:30:00Z', 'UTC', 1, { from: '2026-06-18', to: '2026-06-18' }],
    ['2026-03-01T02:00:00Z', 'Asia/Shanghai', 2, { from: '2026-02-28', to: '2026-03-01' }],
  ])('lastDays at %s in %s', (now, zone, days, want) => {
    expect(lastDays(days, zone, Date.parse(now))).toEqual(want);
  });
  it('names exports by range', () => {
    expect(exportName({ from: '2026-06-01', to: '2026-06-07' }, 'csv')).toBe('review-2026-06-01_2026-06-07.csv');
  });
  it('base64 of UTF-8 text round-trips Chinese', () => {
    const b = utf8Base64('\ufeff类型,数量\n');
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0)))).toBe('\ufeff类型,数量\n');
  });
});
