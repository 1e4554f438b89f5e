// Evidence folders and regulator filings: wrappers over the Evidence and Filings services (app/evidence.go,
// app/filings.go). They go through `call` so the frontend compiles whichever bindings are generated. Roles are
// enforced by the backend; the views only hide buttons a role cannot use.
import { call } from './bridge';

export type EvidenceKind = 'email' | 'ticket' | 'letter' | 'import' | 'attachment' | 'upload' | 'redacted';

export interface EvidenceItem {
  id: number;
  case_id?: number;
  incident_id?: number;
  sha256: string;
  size: number;
  content_type: string;
  kind: EvidenceKind;
  source: string;
  filename: string;
  derived_from?: number;
  note?: string;
  captured_by: string;
  captured_at: string;
}

export interface CustodyEntry {
  id: number;
  item_id: number;
  seq: number;
  at: string;
  actor: string;
  action: 'captured' | 'viewed' | 'exported' | 'copied' | 'redacted';
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface EmailView {
  from: string;
  to: string;
  cc?: string;
  subject: string;
  date: string;
  message_id: string;
  body: string;
  attachments: string[];
}

export interface Preview {
  item_id: number;
  kind: 'image' | 'pdf' | 'text' | 'email' | 'binary';
  content_type: string;
  filename: string;
  text?: string;
  email?: EmailView;
  /** base64 of images and PDFs */
  data?: string;
  truncated: boolean;
  masked: boolean;
  note?: string;
}

export interface VerifyProblem {
  kind: 'file_changed' | 'file_missing' | 'custody_edited' | 'custody_broken' | 'item_edited';
  item_id: number;
  filename: string;
  sha256: string;
  custody_id?: number;
  seq?: number;
  detail: string;
}

export interface VerifyReport {
  items: number;
  entries: number;
  problems: VerifyProblem[];
}

export const evidenceApi = {
  list: async (caseId: number): Promise<EvidenceItem[]> => (await call<EvidenceItem[] | null>('Evidence', 'List', caseId)) ?? [],
  /** data is the file's bytes as base64 (how Wails carries []byte). */
  add: (caseId: number, name: string, base64: string): Promise<EvidenceItem> => call<EvidenceItem>('Evidence', 'Add', caseId, name, base64),
  collect: (caseId: number): Promise<number> => call<number>('Evidence', 'Collect', caseId),
  preview: (itemId: number): Promise<Preview> => call<Preview>('Evidence', 'Preview', itemId),
  custody: async (itemId: number): Promise<CustodyEntry[]> => (await call<CustodyEntry[] | null>('Evidence', 'Custody', itemId)) ?? [],
  redact: (itemId: number): Promise<EvidenceItem> => call<EvidenceItem>('Evidence', 'Redact', itemId),
  verify: (caseId: number): Promise<VerifyReport> => call<VerifyReport>('Evidence', 'Verify', caseId),
  /** path written, '' when the user cancelled the dialog */
  saveCopy: (itemId: number): Promise<string> => call<string>('Evidence', 'SaveCopy', itemId),
  exportZip: (caseId: number): Promise<string> => call<string>('Evidence', 'ExportZip', caseId),
};

export type MatterType = 'complaint_forwarded' | 'odr_dispute' | 'regulator_inquiry' | 'mediation' | 'recall_report';
export type MatterStatus = 'draft' | 'ready' | 'submitted' | 'replied' | 'closed';
export type ItemState = 'missing' | 'covered' | 'open' | 'linked' | 'signed';

export interface ChecklistItem {
  id: number;
  case_id: number;
  matter_id?: number;
  template: string;
  code: string;
  zh: string;
  en: string;
  group?: string;
  optional?: boolean;
  basis: string;
  position: number;
  evidence_ids: number[];
  signed_by?: string;
  signed_at?: string;
  note?: string;
}

export interface Missing {
  matter_id?: number;
  code: string;
  zh: string;
  en: string;
}

export interface Deadline {
  id: string;
  zh: string;
  en: string;
  source: string;
  confidence: string;
  period: string;
  due_at: string;
  due_date: string;
  skipped: number;
  state: 'open' | 'overdue' | 'done' | 'unknown';
  error?: string;
}

export interface Matter {
  id: number;
  case_id: number;
  type: MatterType;
  title: string;
  regulator: string;
  work_order_no: string;
  received_at: string;
  owner: string;
  status: MatterStatus;
  ready_at?: string;
  submitted_at?: string;
  replied_at?: string;
  closed_at?: string;
}

export interface MatterView extends Matter {
  rule: { id: string; zh: string; en: string };
  deadlines: Deadline[];
  items: ChecklistItem[];
  states: Record<string, ItemState>;
  missing: Missing[];
}

export interface CaseFilings {
  case_id: number;
  checklist: ChecklistItem[];
  states: Record<string, ItemState>;
  missing: Missing[];
  matters: MatterView[];
}

export interface ScenarioOption {
  name: string;
  zh: string;
  en: string;
  suggested: boolean;
}

export interface MatterTypeOption {
  type: MatterType;
  zh: string;
  en: string;
}

export interface NewMatter {
  caseId: number;
  type: MatterType;
  title: string;
  regulator: string;
  workOrderNo: string;
  /** local time, 'YYYY-MM-DD HH:mm' */
  received: string;
  owner: string;
}

export interface Exported {
  pdf: string;
  zip: string;
}

/** Where a matter may go next (mirrors backend/filings transitions). */
export const nextStatuses: Record<MatterStatus, MatterStatus[]> = {
  draft: ['ready', 'closed'],
  ready: ['draft', 'submitted', 'closed'],
  submitted: ['replied', 'closed'],
  replied: ['submitted', 'closed'],
  closed: [],
};

export const filingsApi = {
  get: (caseId: number): Promise<CaseFilings> => call<CaseFilings>('Filings', 'Case', caseId),
  scenarios: async (caseId: number): Promise<ScenarioOption[]> => (await call<ScenarioOption[] | null>('Filings', 'Scenarios', caseId)) ?? [],
  applyScenario: (caseId: number, name: string): Promise<number> => call<number>('Filings', 'ApplyScenario', caseId, name),
  matterTypes: async (): Promise<MatterTypeOption[]> => (await call<MatterTypeOption[] | null>('Filings', 'MatterTypes')) ?? [],
  createMatter: (m: NewMatter): Promise<Matter> => call<Matter>('Filings', 'CreateMatter', m),
  link: (caseId: number, itemId: number, evidenceId: number): Promise<void> => call<void>('Filings', 'Link', caseId, itemId, evidenceId),
  unlink: (caseId: number, itemId: number, evidenceId: number): Promise<void> => call<void>('Filings', 'Unlink', caseId, itemId, evidenceId),
  sign: (caseId: number, itemId: number, note: string): Promise<void> => call<void>('Filings', 'Sign', caseId, itemId, note),
  unsign: (caseId: number, itemId: number, reason: string): Promise<void> => call<void>('Filings', 'Unsign', caseId, itemId, reason),
  setStatus: (matterId: number, status: MatterStatus): Promise<Matter> => call<Matter>('Filings', 'SetStatus', matterId, status),
  /** per case id, the requirements with no evidence yet (board cards) */
  missing: async (caseIds: number[]): Promise<Record<string, Missing[]>> => (await call<Record<string, Missing[]> | null>('Filings', 'Missing', caseIds)) ?? {},
  /** an empty pdf means the user cancelled the folder dialog */
  exportPacket: (caseId: number): Promise<Exported> => call<Exported>('Filings', 'ExportPacket', caseId),
};
