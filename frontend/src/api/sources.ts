// IMAP accounts and the mail quarantine: wrappers over the Sources service (app/sources.go). Passwords are only
// ever sent (add, edit, test), never read back. Roles are enforced by the backend.
import { call } from './bridge';

export type Security = 'tls' | 'starttls' | 'plain';
export type FolderRole = 'complaints' | 'regulator';

export interface ImapAccount {
  host: string;
  port: number;
  security: Security;
  username: string;
  insecure?: boolean;
  batch_size?: number;
}

export interface MailFolder {
  name: string;
  role: FolderRole;
}

/** store.Folder: a mirrored mailbox with its sync status. */
export interface FolderStatus {
  id: number;
  name: string;
  role: FolderRole;
  uidvalidity: number;
  last_uid: number;
  last_sync_at: string;
  last_error: string;
  message_count: number;
  quarantined_count: number;
  duplicate_count: number;
  /** mirrored, then deleted on the server; Cockpit keeps its copies */
  removed_count: number;
}

export interface MailAccount {
  id: number;
  name: string;
  enabled: boolean;
  account: ImapAccount;
  folders: FolderStatus[] | null;
  lastRunAt: string;
  lastError: string;
  secretsBackend: string;
}

export interface AccountRequest {
  id: number;
  name: string;
  enabled: boolean;
  account: ImapAccount;
  folders: MailFolder[];
  password: string;
}

export interface ConnectionTest {
  capabilities: string[];
  /** new mail is fetched as it arrives (else at the periodic sync) */
  idle: boolean;
  /** flag changes are asked for incrementally (else every flag is listed again periodically) */
  condstore: boolean;
  folders: { name: string; messages: number; configured: boolean; role?: string; error?: string }[];
}

export interface SyncStats {
  fetched: number;
  ingested: number;
  quarantined: number;
  duplicates: number;
  new_cases: number;
  /** mirrored before, changed on the server since: gone from their folder, or with new flags */
  removed?: number;
  flags_changed?: number;
  errors?: string[];
}

/** What "sync now" did; already_running: a sync of the account was under way (its progress shows), nothing was started. */
export interface RunNowResult {
  stats: SyncStats;
  already_running: boolean;
}

export interface QuarantinedMail {
  id: number;
  sourceId: number;
  folder: string;
  uid: string;
  size: number;
  error: string;
  attempts: number;
  ingestedAt: string;
}

export interface RetryOutcome {
  status: 'ingested' | 'quarantined' | 'duplicate' | 'skipped';
  case_id: number;
  error?: string;
}

/** A message body for a sandboxed iframe: sanitised, inline images embedded, CSP inside. */
export interface MessageHTML {
  document: string;
  csp: string;
  hasRemote: boolean;
  remoteAllowed: boolean;
}

/** cases.OrderPattern: tried in order; the first capture group of regexp is the order number. */
export interface OrderPattern {
  platform: string;
  regexp: string;
}

/** app.OrderPatterns: the patterns new mail is linked with, and the built-in list. */
export interface OrderPatterns {
  patterns: OrderPattern[];
  defaults: OrderPattern[];
  custom: boolean;
}

/** cases.OrderRef: an order number a pattern found. */
export interface OrderRef {
  no: string;
  platform: string;
}

export const orderPatterns = {
  get: (): Promise<OrderPatterns> => call('Sources', 'OrderPatterns'),
  /** Runs patterns (not saved) over a sample text. */
  test: async (patterns: OrderPattern[], text: string): Promise<OrderRef[]> => (await call<OrderRef[] | null>('Sources', 'TestOrderPatterns', patterns, text)) ?? [],
  /** Saves patterns; an empty list goes back to the built-in one. */
  save: (patterns: OrderPattern[]): Promise<void> => call('Sources', 'SaveOrderPatterns', patterns),
};

export const mail = {
  accounts: async (): Promise<MailAccount[]> => (await call<MailAccount[] | null>('Sources', 'ListAccounts')) ?? [],
  add: (r: AccountRequest): Promise<number> => call('Sources', 'AddAccount', r),
  /** Resolves to how many cases became regulator matters because a folder of theirs became a regulator folder. */
  update: (r: AccountRequest): Promise<number> => call('Sources', 'UpdateAccount', r),
  remove: (id: number): Promise<boolean> => call('Sources', 'RemoveAccount', id),
  test: (r: AccountRequest): Promise<ConnectionTest> => call('Sources', 'TestConnection', r),
  runNow: (id: number): Promise<RunNowResult> => call('Sources', 'RunNow', id),
  quarantine: async (limit = 200): Promise<QuarantinedMail[]> => (await call<QuarantinedMail[] | null>('Sources', 'Quarantine', limit)) ?? [],
  retry: (rawId: number): Promise<RetryOutcome> => call('Sources', 'Retry', rawId),
  messageHTML: (eventId: number, allowRemote: boolean): Promise<MessageHTML> => call('Sources', 'MessageHTML', eventId, allowRemote),
};
