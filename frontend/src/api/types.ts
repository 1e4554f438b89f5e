// DTOs as the bound Go services send them (JSON tags of app/*.go and backend/cases). Times are RFC 3339 strings
// in UTC; the views format them in the workspace zone.

export type Level = 0 | 1 | 2 | 3;
export type CaseStatus = 'open' | 'pending' | 'resolved' | 'closed';

export interface Flag {
  name: string;
  evidence?: string;
}

/** One clock of a case. state: running | paused | warning50 | warning80 | breached | met | unknown. */
export interface Deadline {
  clock: string;
  due_at: string;
  state: string;
  percent: number;
  why?: string;
}

export interface CaseSummary {
  id: number;
  title: string;
  level: Level;
  type: string;
  subtype: string;
  flags: Flag[] | null;
  status: CaseStatus;
  owner: string;
  owner_id: number;
  customer: string;
  customer_email: string;
  order_no: string;
  channels: string[] | null;
  message_count: number;
  deadlines: Deadline[] | null;
  incident_id: number;
  is_regulator: boolean;
  work_order_no: string;
  opened_at: string;
  last_activity: string;
}

export interface CaseEvent {
  id: number;
  case_id: number;
  kind: string;
  channel: string;
  raw_item_id?: number;
  actor: string;
  occurred_at: string;
  summary: string;
  body_text: string;
  body_html?: string;
  link_reason?: string;
  data?: string;
  /** for an email mirrored over IMAP: what its mailbox says of it now (as of the last sync) */
  mailbox?: MailboxState;
}

/** A mirrored email's flags (\Answered, \Flagged, $Forwarded ...) and when a sync found it deleted there. */
export interface MailboxState {
  flags: string[] | null;
  removed_at?: string;
}

export interface CaseDetail {
  case: CaseSummary;
  timeline: CaseEvent[] | null;
}

export interface Status {
  version: string;
  dataDir: string;
  open: boolean;
  error: string;
  zone: string;
  demo: boolean;
}


// ---- Replies (app/replies.go, backend/replies) ----
/** A reply script from the library (the seed manuals' approved phrasings, editable). */
export interface ReplyScript {
  id: number;
  key: string;
  category: string;
  lang: string;
  title: string;
  body: string;
  source: string;
  default: boolean;
  updatedAt: string;
  updatedBy: string;
}

/** A forbidden phrase in a draft: [start, end) are UTF-16 offsets (JavaScript string indices). */
export interface Finding {
  rule: string;
  category: string;
  start: number;
  end: number;
  text: string;
  zh: string;
  en: string;
  suggest?: string;
  source: string;
}

export interface Draft {
  caseId: number;
  body: string;
  channel: string;
  scriptKey: string;
  override: boolean;
}

export interface RecordResult {
  recorded: boolean;
  eventId: number;
  findings: Finding[] | null;
}

// ---- Board (app/board.go, backend/board) ----
export type GroupBy = 'level' | 'status';

/** store.BoardFilter: zero values mean "any", lists mean "any of". Also the saved-view payload. */
export interface BoardFilter {
  statuses?: CaseStatus[];
  levels?: number[];
  ownerIds?: number[];
  unassigned?: boolean;
  types?: string[];
  flags?: string[];
  sourceIds?: number[];
  /** cases owned by that roster shift's supervisor */
  shiftId?: number;
  /** cases with a clock past its deadline (stored breached, or running with its due time gone by) */
  breached?: boolean;
  regulator?: boolean;
  incidentId?: number;
  query?: string;
}

export interface BoardQuery {
  groupBy: GroupBy;
  filter: BoardFilter;
  window: number;
}

/** An evidence requirement a case's checklists still lack (filings.Missing). */
export interface MissingEvidence {
  matter_id?: number;
  code: string;
  zh: string;
  en: string;
}

export interface Card {
  case: CaseSummary;
  nearest?: Deadline | null;
  missing?: MissingEvidence[] | null;
}

export interface BoardColumn {
  key: string;
  level: number;
  status: CaseStatus | '';
  count: number;
  cards: Card[] | null;
}

export interface BoardIncident {
  id: number;
  key: string;
  title: string;
  level: number;
  openedAt: string;
  caseCount: number;
}

export interface Board {
  groupBy: GroupBy;
  columns: BoardColumn[] | null;
  total: number;
  incidents: BoardIncident[] | null;
  at: string;
}

export interface CaseMove {
  caseId: number;
  level?: number;
  ownerId?: number;
  status?: CaseStatus;
  reason: string;
}

export interface MoveChange {
  field: string;
  from: string;
  to: string;
}

export interface MoveResult {
  card: Card;
  changes: MoveChange[] | null;
}

export interface SavedView {
  id: number;
  owner: string;
  name: string;
  filter: BoardFilter;
  groupBy: GroupBy;
  createdAt: string;
  updatedAt: string;
}

// ---- Daily review (app/review.go, backend/review) ----
export interface ReviewRange {
  from: string; // YYYY-MM-DD, local days in the workspace zone
  to: string;
}

export interface ReviewCount {
  type: string;
  subtype?: string;
  count: number;
  share: number;
  previous: number;
}

export interface ReviewAlert {
  kind: string;
  date?: string;
  type?: string;
  subtype?: string;
  product?: string;
  batch?: string;
  count: number;
  previous?: number;
  share?: number;
  zh: string;
  en: string;
}

export interface ReviewReport {
  range: ReviewRange;
  zone: string;
  contacts: number;
  byType: ReviewCount[] | null;
  bySubtype: ReviewCount[] | null;
  byHour: number[];
  byDay: { date: string; count: number }[] | null;
  casesOpened: number;
  levels: { level: number; count: number }[] | null;
  sla: { clocks: number; met: number; breached: number; running: number; metPct: number };
  topProducts: { product: string; batch: string; cases: number }[] | null;
  topBatches: { product: string; batch: string; cases: number }[] | null;
  alerts: ReviewAlert[] | null;
}
