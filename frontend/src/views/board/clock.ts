// The nearest clock of a card and how urgent it looks. The backend computes deadlines and their percent
// elapsed from its injected clock; here only the remaining time ticks on between refreshes.
import type { Deadline } from '../../api';

export type Urgency = 'ok' | 'warn50' | 'warn80' | 'breached' | 'paused' | 'none';

/** nearestClock is the running (or breached) deadline due first; paused and met ones only if nothing else. */
export function nearestClock(deadlines: Deadline[] | null | undefined): Deadline | undefined {
  const live = (deadlines ?? []).filter((d) => d.state !== 'met' && d.due_at && !d.due_at.startsWith('0001'));
  const running = live.filter((d) => d.state !== 'paused');
  const pool = running.length > 0 ? running : live;
  return pool.reduce<Deadline | undefined>((best, d) => (!best || d.due_at < best.due_at ? d : best), undefined);
}

export function urgency(d: Deadline | undefined, now: number): Urgency {
  if (!d) return 'none';
  if (d.state === 'paused') return 'paused';
  if (d.state === 'breached' || Date.parse(d.due_at) <= now) return 'breached';
  if (d.state === 'warning80' || d.percent >= 80) return 'warn80';
  if (d.state === 'warning50' || d.percent >= 50) return 'warn50';
  return 'ok';
}

export const urgencyColor: Record<Urgency, string> = {
  ok: '#389e0d',
  warn50: '#d48806',
  warn80: '#d4380d',
  breached: '#cf1322',
  paused: '#8c8c8c',
  none: '#bfbfbf',
};
