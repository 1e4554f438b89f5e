import { describe, expect, it } from 'vitest';
import type { Deadline } from '../../api';
import { nearestClock, urgency } from './clock';

const d = (clock: string, due_at: string, state = 'running', percent = 10): Deadline => ({ clock, due_at, state, percent });
const now = Date.parse('2026-06-18T04:00:00Z');

describe('nearestClock', () => {
  it.each([
    ['none', [], undefined],
    ['earliest running', [d('resolution', '2026-06-20T00:00:00Z'), d('first_response', '2026-06-18T06:00:00Z')], 'first_response'],
    ['met ones are ignored', [d('first_response', '2026-06-18T01:00:00Z', 'met'), d('resolution', '2026-06-20T00:00:00Z')], 'resolution'],
    ['paused only when nothing runs', [d('a', '2026-06-18T01:00:00Z', 'paused'), d('b', '2026-06-19T00:00:00Z')], 'b'],
    ['paused alone', [d('a', '2026-06-18T01:00:00Z', 'paused')], 'a'],
    ['zero time skipped', [d('a', '0001-01-01T00:00:00Z')], undefined],
  ] as [string, Deadline[], string | undefined][])('%s', (_name, list, want) => {
    expect(nearestClock(list)?.clock).toBe(want);
  });
});

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
