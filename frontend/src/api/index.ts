// The one api module: typed wrappers over the bound Go services. Views import from here only, and tests mock
// this module in one place (src/test/setup.ts).
import * as SystemSvc from '../../wailsjs/go/app/System';
import * as CasesSvc from '../../wailsjs/go/app/Cases';
import * as BoardSvc from '../../wailsjs/go/app/Board';
import * as RepliesSvc from '../../wailsjs/go/app/Replies';
import * as ReviewSvc from '../../wailsjs/go/app/Review';
import * as ExportsSvc from '../../wailsjs/go/app/Exports';
import type {
  Board, BoardQuery, Card, CaseDetail, CaseMove, Draft, Finding, MoveResult, RecordResult, ReplyScript, ReviewRange, ReviewReport, SavedView, Status,
} from './types';
import { forgetServed, servedAnswer } from './early';

export * from './types';
export { errorText, has, NotAvailableError, subscribe } from './bridge';
export * from './people';
export * from './shifts';
export * from './engine';
export * from './intake';
export * from './sources';

export const system = {
  /** The status the page was served with (see early.ts); undefined when there was none. */
  served: (): Status | undefined => servedAnswer('status'),
  /** Drops what the page was served with, once the first screen is up (see early.ts). */
  forgetServed,
  status: (): Promise<Status> => SystemSvc.Status(),
  /** Opens (creating on first use) the demo workspace; offered by the first-run screen. */
  openDemo: (): Promise<Status> => SystemSvc.OpenDemo(),
  /**
   * Tells `make bench-board` that a start-up stage is on screen (logged only under COCKPIT_PAINT_LOG). Call it
   * from an effect: the mark is sent when the web view is next free, which is after it has painted the stage
   * (marked at the next animation frame instead, the stage reached the screen 0.15 s after its mark).
   */
  mark: (stage: 'script' | 'signin-form' | 'shell' | 'first-paint'): void => {
    setTimeout(() => void SystemSvc.Mark(stage).catch(() => undefined));
  },
};

export const cases = {
  get: async (id: number): Promise<CaseDetail> => (await CasesSvc.Get(id)) as unknown as CaseDetail,
};

// The generated binding types are classes with the same fields as ours; the JS side sends plain objects either
// way, hence the `as never` on the arguments.
/** The escalation board. Moves carry a reason; the backend checks the role and writes event + audit entry. */
export const board = {
  get: async (q: BoardQuery): Promise<Board> => (await BoardSvc.Get(q as never)) as unknown as Board,
  window: async (q: BoardQuery, key: string, offset: number, limit: number): Promise<Card[]> =>
    ((await BoardSvc.Window(q as never, key, offset, limit)) ?? []) as unknown as Card[],
  move: async (m: CaseMove): Promise<MoveResult> => (await BoardSvc.Move(m as never)) as unknown as MoveResult,
  views: async (): Promise<SavedView[]> => ((await BoardSvc.Views()) ?? []) as unknown as SavedView[],
  saveView: async (name: string, q: BoardQuery): Promise<SavedView> => (await BoardSvc.SaveView(name, q as never)) as unknown as SavedView,
  deleteView: (id: number): Promise<void> => BoardSvc.DeleteView(id),
};

export const replies = {
  /** lang '' for every script, or 'zh-CN' / 'en'. */
  scripts: async (lang: string): Promise<ReplyScript[]> => ((await RepliesSvc.Scripts(lang)) ?? []) as unknown as ReplyScript[],
  check: async (text: string): Promise<Finding[]> => ((await RepliesSvc.Check(text)) ?? []) as unknown as Finding[],
  /** refused (recorded: false, with the findings) when the draft has forbidden phrases and no override. */
  record: async (d: Draft): Promise<RecordResult> => (await RepliesSvc.Record(d as never)) as unknown as RecordResult,
};

export const review = {
  get: async (r: ReviewRange): Promise<ReviewReport> => (await ReviewSvc.Get(r as never)) as unknown as ReviewReport,
  /** the figures as CSV text (UTF-8 with BOM); the export is audited by the backend. */
  csv: (r: ReviewRange): Promise<string> => ReviewSvc.CSV(r as never),
};

/** Saves a file the frontend produced (CSV text, a PNG) under the workspace's exports folder; returns its path. */
export const exportsApi = {
  save: (name: string, base64: string): Promise<string> => ExportsSvc.Save(name, base64),
};
