// Shifts and handover (app/shifts.go, backend/shifts). Part of the api module: only src/api touches bindings.
import * as ShiftsSvc from '../../wailsjs/go/app/Shifts';
import type { CaseSummary, Deadline } from './types';

export interface Shift {
  id: number;
  name: string;
  starts_at: string;
  ends_at: string;
  supervisor_id: number;
  supervisor: string;
  manager_id?: number;
  manager?: string;
}

/** One line of a handover sheet: an open level-1/2 case or an incident the outgoing supervisor owns. */
export interface HandoverItem {
  kind: 'case' | 'incident' | string;
  id: number;
  title: string;
  level: number;
  status: string;
  flags?: string[];
  deadline?: Deadline | null;
}

export interface Sheet {
  id: number;
  from_shift_id?: number;
  to_shift_id?: number;
  outgoing_id: number;
  outgoing: string;
  incoming_id: number;
  incoming: string;
  notes: string;
  created_at: string;
  signed_at?: string;
  acknowledged_at?: string;
  ack_note?: string;
  escalated_at?: string;
  escalated_to?: string;
  items: HandoverItem[] | null;
}

/** Go's zero time means "not yet" (not signed, not acknowledged). */
export const isSet = (t: string | undefined): boolean => !!t && !t.startsWith('0001-01-01');

export const shifts = {
  roster: async (from: string, to: string): Promise<Shift[]> => ((await ShiftsSvc.Roster(from, to)) ?? []) as unknown as Shift[],
  myCases: async (): Promise<CaseSummary[]> => ((await ShiftsSvc.MyCases()) ?? []) as unknown as CaseSummary[],
  generate: async (incomingId: number, notes: string): Promise<Sheet> => (await ShiftsSvc.GenerateHandover(incomingId, notes)) as unknown as Sheet,
  signOff: async (id: number, notes: string): Promise<Sheet> => (await ShiftsSvc.SignOff(id, notes)) as unknown as Sheet,
  acknowledge: async (id: number, note: string): Promise<Sheet> => (await ShiftsSvc.Acknowledge(id, note)) as unknown as Sheet,
  reassign: (caseIds: number[], toId: number, reason: string): Promise<number> =>
    ShiftsSvc.BulkReassign({ case_ids: caseIds, to_id: toId, reason } as never),
  history: async (limit: number): Promise<Sheet[]> => ((await ShiftsSvc.History(limit)) ?? []) as unknown as Sheet[],
  /** Hands handovers left unacknowledged too long to a manager; returns those it escalated. */
  escalateOverdue: async (): Promise<Sheet[]> => ((await ShiftsSvc.EscalateOverdue()) ?? []) as unknown as Sheet[],
};
