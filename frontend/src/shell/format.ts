// Formatting shared by the views: times in the workspace zone, durations for clocks.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const DEFAULT_ZONE = 'Asia/Shanghai';

/** A stored UTC time shown in the workspace zone; '' for Go's zero time. */
export function formatTime(iso: string | undefined, zone: string, pattern = 'YYYY-MM-DD HH:mm'): string {
  if (!iso || iso.startsWith('0001-01-01')) return '';
  const d = dayjs(iso);
  if (!d.isValid()) return '';
  try {
    return d.tz(zone || DEFAULT_ZONE).format(pattern);
  } catch {
    return d.tz(DEFAULT_ZONE).format(pattern); // an unknown zone name must not blank the screen
  }
}

/** Compact duration: 2d 3h, 3h 05m, 12m 30s. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(s % 60).padStart(2, '0')}s`;
}
