// Date ranges of the daily review: local days (YYYY-MM-DD) in the workspace zone.
import dayjs from 'dayjs';
import '../../shell/format'; // registers the utc/timezone plugins
import type { ReviewRange } from '../../api';

/** The last `days` local days up to and including today in zone. */
export function lastDays(days: number, zone: string, now: number = Date.now()): ReviewRange {
  const today = dayjs(now).tz(zone);
  return { from: today.subtract(days - 1, 'day').format('YYYY-MM-DD'), to: today.format('YYYY-MM-DD') };
}

/** A file name for an export of r. */
export function exportName(r: ReviewRange, ext: string): string {
  return `review-${r.from}_${r.to}.${ext}`;
}

/** base64 of a string's UTF-8 bytes (btoa alone only takes Latin-1). */
export function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
