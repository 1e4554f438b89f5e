// How urgent a clock looks. The backend computes deadlines, their state and percent elapsed from its injected
// clock (and picks each card's nearest one); here only the remaining time ticks on between refreshes.
import type { Deadline } from '../../api';

export type Urgency = 'ok' | 'warn50' | 'warn80' | 'breached' | 'paused' | 'none';

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
