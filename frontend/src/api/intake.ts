// File imports, regulator letters and helpdesk (RT) sources: wrappers over the Imports, Letters and Helpdesk
// services (app/imports.go, app/letters.go, app/helpdesk.go). They go through `call` so the frontend compiles
// whichever bindings are generated. Roles are enforced by the backend; views only hide what a role cannot use.
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call } from './bridge';

export type ImportField =
  | 'id' | 'work_order_no' | 'subject' | 'body' | 'facts' | 'customer_name' | 'customer_email' | 'customer_phone'
  | 'respondent' | 'order_no' | 'created_at' | 'deadline' | 'status' | 'priority';

export type Mapping = Partial<Record<ImportField, string>>;

export interface ImportPreset {
  name: string;
  label: string;
  regulator: boolean;
  columns: Record<string, string[]>;
  required: string[];
}

export interface ParsedRow {
  row: number;
  key: string;
  fields: Partial<Record<ImportField, string>>;
  created_at?: string;
  deadline?: string;
  error?: string;
}

export interface ImportPreview {
  filename: string;
  format: string;
  encoding: string;
  header: string[];
  preset: string;
  mapping: Mapping;
  mapping_error?: string;
  total: number;
  good: number;
  bad: number;
  rows: ParsedRow[];
  bad_rows: ParsedRow[];
}

export interface ImportRequest {
  path: string;
  preset: string;
  mapping: Mapping | null;
}

export interface ImportReport {
  import_id: number;
  total: number;
  imported: number;
  duplicate: number;
  bad: number;
  new_cases: number;
  bad_rows: { row: number; reason: string }[];
}

export interface ImportRecord {
  id: number;
  filename: string;
  format: string;
  encoding: string;
  preset: string;
  rows_total: number;
  rows_imported: number;
  rows_duplicate: number;
  rows_bad: number;
  status: 'done' | 'undone';
  created_at: string;
  created_by: string;
  undone_at?: string;
  undone_by: string;
}

export interface ImportRowRecord {
  row: number;
  status: 'imported' | 'duplicate' | 'bad' | 'undone';
  reason: string;
  cells_json: string;
  case_id: number;
}

export interface UndoResult {
  rows: number;
  cases_removed: number;
  cases_kept: number;
}

export const imports = {
  presets: (): Promise<{ presets: ImportPreset[]; fields: ImportField[] }> => call('Imports', 'Presets'),
  chooseFile: (): Promise<string> => call('Imports', 'ChooseFile'),
  preview: (req: ImportRequest): Promise<ImportPreview> => call('Imports', 'Preview', req),
  run: (req: ImportRequest): Promise<ImportReport> => call('Imports', 'Run', req),
  list: async (): Promise<ImportRecord[]> => (await call<ImportRecord[] | null>('Imports', 'List')) ?? [],
  rows: async (id: number, status: string): Promise<ImportRowRecord[]> => (await call<ImportRowRecord[] | null>('Imports', 'Rows', id, status)) ?? [],
  undo: (id: number): Promise<UndoResult> => call('Imports', 'Undo', id),
};

export interface Letter {
  id: number;
  source_id: number;
  filename: string;
  sha256: string;
  size: number;
  format: 'pdf' | 'eml' | 'docx' | 'image' | 'text';
  text: string;
  text_status: 'text' | 'no_text' | 'error';
  note: string;
  work_order_no: string;
  office: string;
  received_on?: string;
  stated_deadline?: string;
  deadline_text: string;
  status: 'proposed' | 'filed' | 'dismissed';
  case_id: number;
  found_at: string;
  decided_at?: string;
  decided_by: string;
}

export interface LetterFound {
  letter_id: number;
  name: string;
  new: boolean;
  error?: string;
}

export interface LetterConfirm {
  work_order_no: string;
  office: string;
  received_on: string | null;
  deadline: string | null;
  case_id: number;
  new_matter: boolean;
}

export interface SourceRef {
  id: number;
  kind: string;
  name: string;
  config_json: string;
  enabled: boolean;
  last_run_at: string;
  last_error: string;
}

export interface IngestOutcome {
  status: string;
  raw_item_id: number;
  case_id: number;
  new_case: boolean;
}

export const letters = {
  chooseFolder: (): Promise<string> => call('Letters', 'ChooseFolder'),
  addFolder: async (name: string, folder: string): Promise<LetterFound[]> => (await call<LetterFound[] | null>('Letters', 'AddFolder', name, folder)) ?? [],
  scan: async (): Promise<LetterFound[]> => (await call<LetterFound[] | null>('Letters', 'Scan')) ?? [],
  /** a file dropped onto the page, as base64 (what Wails carries for []byte). */
  addUpload: (sourceId: number, name: string, base64: string): Promise<LetterFound> => call('Letters', 'AddUpload', sourceId, name, base64),
  list: async (status: string): Promise<Letter[]> => (await call<Letter[] | null>('Letters', 'List', status)) ?? [],
  sources: async (): Promise<SourceRef[]> => (await call<SourceRef[] | null>('Letters', 'Sources')) ?? [],
  file: (id: number, c: LetterConfirm): Promise<IngestOutcome> => call('Letters', 'File', id, c),
  dismiss: (id: number, reason: string): Promise<void> => call('Letters', 'Dismiss', id, reason),
};

export interface RTSettings {
  base_url: string;
  queues: string[];
  filter: string;
}

/** A helpdesk source, letters folder or the file-import source with its status (IMAP: sources.listAccounts). */
export interface SourceStatus {
  id: number;
  kind: 'rt' | 'letters' | 'import';
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  last_run_at: string;
  last_error: string;
  counts: Record<string, number>;
  cursor?: string;
}

export const helpdesk = {
  list: async (): Promise<SourceStatus[]> => (await call<SourceStatus[] | null>('Helpdesk', 'List')) ?? [],
  testRT: (name: string, settings: RTSettings, token: string): Promise<string> => call('Helpdesk', 'TestRT', { name, settings, token }),
  addRT: (name: string, settings: RTSettings, token: string): Promise<number> => call('Helpdesk', 'AddRT', { name, settings, token }),
  runNow: (sourceId: number): Promise<unknown> => call('Helpdesk', 'RunNow', sourceId),
};

/** ingest.Progress as the backend emits it on `sync:progress`. */
export interface SyncProgress {
  source_id: number;
  source: string;
  folder: string;
  phase: 'connect' | 'folder' | 'fetch' | 'done' | 'error';
  done: number;
  total: number;
  ingested: number;
  quarantined: number;
  duplicates: number;
  error?: string;
}

export const syncEvents = {
  /** Listens to sync progress of every source; returns the unsubscribe function. */
  onProgress: (handler: (p: SyncProgress) => void): (() => void) => EventsOn('sync:progress', (p: SyncProgress) => handler(p)),
};
