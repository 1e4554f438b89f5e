// The one api module: typed wrappers over the bound Go services. Views import from here only, and tests mock
// this module in one place (src/test/setup.ts).
import * as SystemSvc from '../../wailsjs/go/app/System';
import * as CasesSvc from '../../wailsjs/go/app/Cases';
import { app } from '../../wailsjs/go/models';
import { call, has } from './bridge';
import type { CaseDetail, CaseQuery, CaseSummary, PhraseHit, ReplyScript, Status } from './types';

export * from './types';
export { errorText, has, NotAvailableError, subscribe } from './bridge';

export const system = {
  status: (): Promise<Status> => SystemSvc.Status(),
  /** Opens (creating on first use) the demo workspace; offered by the first-run screen. */
  openDemo: (): Promise<Status> => call<Status>('System', 'OpenDemo'),
  canOpenDemo: (): boolean => has('System', 'OpenDemo'),
};

export const cases = {
  list: async (q: Partial<CaseQuery>): Promise<CaseSummary[]> =>
    ((await CasesSvc.List(app.ListQuery.createFrom({ query: '', level: 0, status: '', limit: 0, ...q }))) ??
      []) as unknown as CaseSummary[],
  get: async (id: number): Promise<CaseDetail> => (await CasesSvc.Get(id)) as unknown as CaseDetail,
};

/** Board decisions. Every move carries a reason; the backend checks the role and writes the audit entry. */
export const board = {
  canMove: (): boolean => has('Board', 'SetLevel') && has('Board', 'Assign'),
  setLevel: (caseId: number, level: number, reason: string): Promise<void> => call<void>('Board', 'SetLevel', caseId, level, reason),
  assign: (caseId: number, owner: string, reason: string): Promise<void> => call<void>('Board', 'Assign', caseId, owner, reason),
};

export const replies = {
  available: (): boolean => has('Replies', 'Scripts'),
  scripts: async (): Promise<ReplyScript[]> => (await call<ReplyScript[] | null>('Replies', 'Scripts')) ?? [],
  check: async (text: string): Promise<PhraseHit[]> => (await call<PhraseHit[] | null>('Replies', 'Check', text)) ?? [],
  record: (caseId: number, text: string, scriptKey: string): Promise<void> => call<void>('Replies', 'Record', caseId, text, scriptKey),
};
