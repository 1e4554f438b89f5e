import { describe, expect, it } from 'vitest';
import type { Deadline } from '../../api';
import { urgency } from './clock';

const d = (clock: string, due_at: string, state = 'running', percent = 10): Deadline => ({ clock, due_at, state, percent });
const now = Date.parse('2026-06-18T04:00:00Z');

describe('urgency', () => {
  it.each([
    [d('a', '2026-06-18T08:00:00Z', 'running', 10), 'ok'],
    [d('a', '2026-06-18T08:00:00Z', 'running', 50), 'warn50'],
    [d('a', '2026-06-18T08:00:00Z', 'warning80', 81), 'warn80'],
    [d('a', '2026-06-18T03:59:59Z', 'running', 99), 'breached'], // due passed since the backend computed it
    [d('a', '2026-06-18T08:00:00Z', 'breached', 100), 'breached'],
    [d('a', '2026-06-18T03:00:00Z', 'paused', 100), 'paused'],
    [undefined, 'none'],
  ] as [Deadline | undefined, string][])('%j -> %s', (deadline, want) => {
    expect(urgency(deadline, now)).toBe(want);
  });
});
