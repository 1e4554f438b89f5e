// Sign-in, users and compensation approvals: wrappers over the People and Approvals services (app/people.go,
// app/approvals.go). They go through `call` so the frontend compiles before the bindings are regenerated.
// Money arrives as integer fen and is sent as the yuan text the user typed: the backend parses it exactly.
import { call } from './bridge';
import { servedAnswer } from './early';
import type { Role } from '../views/registry';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  createdAt: string;
  failedLogins: number;
  lockedUntil: string;
  passwordChangedAt: string;
}

export interface AuthState {
  open: boolean;
  needsSetup: boolean;
  signedIn: boolean;
  locked: boolean;
  user: User | null;
  idleMinutes: number;
  seesPii: boolean;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface Contact {
  caseId: number;
  name: string;
  email: string;
  phone: string;
  address: string;
  idNumber: string;
}

export const auth = {
  /** The sign-in state the page was served with (see early.ts); undefined when there was none. */
  served: (): AuthState | undefined => servedAnswer('auth'),
  state: (): Promise<AuthState> => call<AuthState>('People', 'State'),
  setup: (u: NewUser): Promise<AuthState> => call<AuthState>('People', 'Setup', u),
  signIn: (username: string, password: string): Promise<AuthState> => call<AuthState>('People', 'SignIn', username, password),
  unlock: (password: string): Promise<AuthState> => call<AuthState>('People', 'Unlock', password),
  signOut: (): Promise<AuthState> => call<AuthState>('People', 'SignOut'),
  changePassword: (username: string, oldPassword: string, newPassword: string): Promise<void> =>
    call<void>('People', 'ChangePassword', username, oldPassword, newPassword),
};

export const users = {
  list: async (): Promise<User[]> => (await call<User[] | null>('People', 'Users')) ?? [],
  create: (u: NewUser): Promise<User> => call<User>('People', 'CreateUser', u),
  update: (username: string, role: Role, displayName: string, active: boolean): Promise<User> =>
    call<User>('People', 'UpdateUser', username, role, displayName, active),
  /** Clear contact data of a case's customer; legal and managers only, with a purpose, audited. */
  unmask: (caseId: number, purpose: string): Promise<Contact> => call<Contact>('People', 'UnmaskCustomer', caseId, purpose),
};

export type CompType = 'refund' | 'partial_refund' | 'replacement' | 'coupon' | 'cash' | 'statutory_damages' | 'price_protection';
export const compTypes: CompType[] = ['refund', 'partial_refund', 'replacement', 'coupon', 'cash', 'statutory_damages', 'price_protection'];
export type CompStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type Execution = '' | 'paid' | 'refunded' | 'coupon_issued' | 'replacement_sent';
/** Which execution states fit a type (mirrors backend/compensation executionFits). */
export const executionsFor: Record<CompType, Execution[]> = {
  refund: ['refunded'],
  partial_refund: ['refunded'],
  replacement: ['replacement_sent'],
  coupon: ['coupon_issued'],
  cash: ['paid'],
  statutory_damages: ['paid'],
  price_protection: ['paid', 'refunded'],
};

export interface Decision {
  id: number;
  requestId: number;
  approverId: number;
  approver: string;
  role: Role;
  verdict: 'approve' | 'reject';
  reason: string;
  decidedAt: string;
}

export interface CompRequest {
  id: number;
  caseId: number;
  caseTitle: string;
  orderNo: string;
  customer: string;
  type: CompType;
  amountFen: number;
  reason: string;
  evidence: string[] | null;
  calc: string;
  shift: string;
  requesterId: number;
  requester: string;
  requestedAt: string;
  status: CompStatus;
  escalatedAt: string;
  decidedAt: string;
  execution: Execution;
  execRef: string;
  executedBy: string;
  executedAt: string;
  decisions: Decision[] | null;
}

export interface QueueItem extends CompRequest {
  canDecide: boolean;
  why: string;
}

export interface CalcInput {
  rule: 'cpl55' | 'fsl148';
  price: string;
  loss: string;
}

export interface Exception {
  id: string;
  zh: string;
  en: string;
}

export interface Calculation {
  rule: string;
  priceFen: number;
  lossFen: number;
  amountFen: number;
  basis: string;
  basisZh: string;
  law: string;
  exceptions: Exception[];
}

export interface RequestInput {
  caseId: number;
  type: CompType;
  amount: string;
  reason: string;
  evidence: string[];
  shift: string;
  calc: CalcInput | null;
}

export interface ApprovalRule {
  id: number;
  type: CompType | '';
  role: Role;
  maxFen: number;
  approvers: number;
}

export interface Budget {
  id: number;
  scope: 'shift' | 'manager';
  key: string;
  startsAt: string;
  endsAt: string;
  limitFen: number;
  spentFen: number;
}

export interface BudgetInput {
  scope: 'shift' | 'manager';
  key: string;
  from: string;
  to: string;
  limit: string;
}

const list = async <T>(p: Promise<T[] | null>): Promise<T[]> => (await p) ?? [];

export const approvals = {
  calc: (c: CalcInput): Promise<Calculation> => call<Calculation>('Approvals', 'Calc', c),
  submit: (r: RequestInput): Promise<CompRequest> => call<CompRequest>('Approvals', 'Submit', r),
  forCase: (caseId: number): Promise<CompRequest[]> => list(call<CompRequest[] | null>('Approvals', 'ForCase', caseId)),
  list: (status: CompStatus | '', limit = 0): Promise<CompRequest[]> => list(call<CompRequest[] | null>('Approvals', 'List', status, limit)),
  queue: (): Promise<QueueItem[]> => list(call<QueueItem[] | null>('Approvals', 'Queue')),
  decide: (id: number, verdict: 'approve' | 'reject', reason: string): Promise<CompRequest> =>
    call<CompRequest>('Approvals', 'Decide', id, verdict, reason),
  cancel: (id: number, reason: string): Promise<CompRequest> => call<CompRequest>('Approvals', 'Cancel', id, reason),
  setExecution: (id: number, execution: Execution, ref: string): Promise<CompRequest> =>
    call<CompRequest>('Approvals', 'SetExecution', id, execution, ref),
  rules: (): Promise<ApprovalRule[]> => list(call<ApprovalRule[] | null>('Approvals', 'Rules')),
  setRules: (rules: ApprovalRule[]): Promise<ApprovalRule[]> => list(call<ApprovalRule[] | null>('Approvals', 'SetRules', rules)),
  budgets: (): Promise<Budget[]> => list(call<Budget[] | null>('Approvals', 'Budgets')),
  setBudget: (b: BudgetInput): Promise<Budget> => call<Budget>('Approvals', 'SetBudget', b),
  deleteBudget: (id: number): Promise<void> => call<void>('Approvals', 'DeleteBudget', id),
  /** CSV text of approved requests decided between local dates (inclusive, '' = open); PII masked, audited. */
  exportCSV: (from: string, to: string): Promise<string> => call<string>('Approvals', 'ExportCSV', from, to),
  escalateAfterMinutes: (): Promise<number> => call<number>('Approvals', 'EscalateAfterMinutes'),
  /** admin only; audited. */
  setEscalateAfterMinutes: (minutes: number): Promise<void> => call<void>('Approvals', 'SetEscalateAfterMinutes', minutes),
};

/** Integer fen as yuan text with two decimals: 150 -> "1.50". No floating point touches the amount. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Yuan text as typed -> fen, exactly; NaN when it is not a plain amount with at most two decimals. */
export function parseYuan(text: string): number {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
