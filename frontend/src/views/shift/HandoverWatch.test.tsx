import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from '@testing-library/react';
import { shifts } from '../../api';
import HandoverWatch, { ESCALATION_CHECK_MS } from './HandoverWatch';

describe('HandoverWatch', () => {
  afterEach(() => vi.useRealTimers());

  it('asks the backend to escalate overdue handovers at once and then every minute, until unmounted', () => {
    vi.useFakeTimers();
    const escalate = vi.mocked(shifts.escalateOverdue);
    escalate.mockClear();
    const { unmount } = render(<HandoverWatch />);
    expect(escalate).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(ESCALATION_CHECK_MS * 2);
    expect(escalate).toHaveBeenCalledTimes(3);
    unmount();
    vi.advanceTimersByTime(ESCALATION_CHECK_MS * 2);
    expect(escalate).toHaveBeenCalledTimes(3);
  });
});
