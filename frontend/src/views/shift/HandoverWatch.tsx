// While anyone is signed in, handovers the incoming supervisor has not acknowledged in time go to a manager.
// The backend decides what is overdue (rules' limit, injected clock); this only gives it a heartbeat.
import { useEffect } from 'react';
import { shifts } from '../../api';

export const ESCALATION_CHECK_MS = 60_000;

export default function HandoverWatch() {
  useEffect(() => {
    const tick = () => {
      // A failed check is retried on the next tick; the handover screen shows escalations as they land.
      shifts.escalateOverdue().catch(() => undefined);
    };
    tick();
    const timer = window.setInterval(tick, ESCALATION_CHECK_MS);
    return () => window.clearInterval(timer);
  }, []);
  return null;
}
