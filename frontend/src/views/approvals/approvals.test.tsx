import { describe, expect, it, vi, beforeEach } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import i18n from '../../i18n';
import { formatYuan, parseYuan, type QueueItem, type CaseSummary } from '../../api';
import { WorkspaceContext, type Workspace } from '../../shell/workspace';
import ApprovalsView from './ApprovalsView';
import CompensationTab from './CompensationTab';

const ws = (role: Workspace['role']): Workspace => ({
  status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role,
  user: { id: 3, username: 'sup.wang', displayName: '', role: role ?? 'supervisor', active: true, createdAt: '', failedLogins: 0, lockedUntil: '', passwordChangedAt: '' },
});

const item = (id: number, canDecide: boolean, why = ''): QueueItem => ({
  id, caseId: 7, caseTitle: '奶粉结块', orderNo: 'JD1', customer: '王**', type: 'cash', amountFen: 500001, reason: '破损', evidence: [],
  calc: '', shift: '', requesterId: 3, requester: 'sup.wang', requestedAt: '2026-11-25T02:00:00Z', status: 'pending',
  escalatedAt: id === 1 ? '2026-11-25T06:00:00Z' : '0001-01-01T00:00:00Z', decidedAt: '', execution: '', execRef: '',
  executedBy: '', executedAt: '', decisions: [], canDecide, why,
});

let svc: Record<string, ReturnType<typeof vi.fn>>;
beforeEach(() => {
  void i18n.changeLanguage('en');
  svc = {
    Queue: vi.fn(async () => [item(1, true), item(2, false, 'own request')]),
    Decide: vi.fn(async () => item(1, false)),
    List: vi.fn(async () => []),
    Rules: vi.fn(async () => []),
    Budgets: vi.fn(async () => []),
    ForCase: vi.fn(async () => []),
    Calc: vi.fn(async () => ({ rule: 'cpl55', priceFen: 9990, lossFen: 0, amountFen: 50000, basis: '3 x price 99.90 = 299.70 yuan is below the 500 yuan minimum',
      basisZh: '', law: 'CPL art. 55(1)', exceptions: [{ id: 'IR-49', zh: '', en: 'Label flaws that neither affect quality nor mislead are not fraud.' }] })),
    Submit: vi.fn(async () => item(3, false)),
  };
  window.go = { app: { Approvals: svc } };
});

describe('money', () => {
  it('formats and parses fen exactly', () => {
    expect(formatYuan(500001)).toBe('5000.01');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-150)).toBe('-1.50');
    expect(parseYuan('299.97')).toBe(29997);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan('1,299')).toBe(129900);
    expect(parseYuan('1.001')).toBeNaN();
    expect(parseYuan('-3')).toBeNaN();
  });
});

describe('approval queue', () => {
  it('offers decisions only where the backend allows them and explains the rest', async () => {
    render(<WorkspaceContext.Provider value={ws('manager')}><ApprovalsView param="" /></WorkspaceContext.Provider>);
    expect(await screen.findByTestId('approve-1')).toBeTruthy();
    expect(screen.queryByTestId('approve-2')).toBeNull();
    expect(screen.getByText('You cannot decide your own request')).toBeTruthy();
    expect(screen.getAllByText('Escalated')).toHaveLength(1);
    expect(screen.getAllByText('5000.01')).toHaveLength(2);
    fireEvent.click(screen.getByTestId('approve-1'));
    await waitFor(() => expect(svc.Decide).toHaveBeenCalledWith(1, 'approve', ''));
  });

  it('needs a reason to reject', async () => {
    render(<WorkspaceContext.Provider value={ws('manager')}><ApprovalsView param="" /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByTestId('reject-1'));
    const dialog = await screen.findByRole('dialog');
    const ok = within(dialog).getByRole('button', { name: 'Reject' });
    expect((ok as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('reject-reason'), { target: { value: '按手册发券即可' } });
    expect((ok as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(ok);
    await waitFor(() => expect(svc.Decide).toHaveBeenCalledWith(1, 'reject', '按手册发券即可'));
  });

  it('shows the backend refusal', async () => {
    svc.Decide.mockRejectedValueOnce('nobody may decide their own compensation request');
    render(<WorkspaceContext.Provider value={ws('manager')}><ApprovalsView param="" /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByTestId('approve-1'));
    expect((await screen.findByTestId('queue-error')).textContent).toContain('own compensation request');
  });
});

describe('compensation tab', () => {
  it('shows the statutory amount with its exceptions and requests it', async () => {
    const summary = {} as CaseSummary;
    render(<WorkspaceContext.Provider value={ws('supervisor')}><CompensationTab caseId={7} summary={summary} onChanged={() => undefined} /></WorkspaceContext.Provider>);
    fireEvent.change(await screen.findByTestId('calc-price'), { target: { value: '99.90' } });
    fireEvent.click(screen.getByTestId('calc-run'));
    expect((await screen.findByTestId('calc-result')).textContent).toContain('500.00');
    expect(screen.getByText(/Label flaws/)).toBeTruthy();
    expect(svc.Calc).toHaveBeenCalledWith({ rule: 'cpl55', price: '99.90', loss: '' });
    fireEvent.click(screen.getByText('Request statutory damages of this amount'));
    expect((screen.getByTestId('comp-amount') as HTMLInputElement).value).toBe('500.00');
    fireEvent.change(screen.getByTestId('comp-reason'), { target: { value: '欺诈：虚假宣传' } });
    fireEvent.click(screen.getByTestId('comp-submit'));
    await waitFor(() => expect(svc.Submit).toHaveBeenCalledWith(expect.objectContaining({
      caseId: 7, type: 'statutory_damages', amount: '500.00', calc: { rule: 'cpl55', price: '99.90', loss: '' },
    })));
  });

  it('offers withdrawing only on your own pending requests', async () => {
    svc.ForCase.mockResolvedValueOnce([item(5, false), { ...item(6, false), requester: 'li.na' }]);
    render(<WorkspaceContext.Provider value={ws('supervisor')}><CompensationTab caseId={7} summary={{} as CaseSummary} onChanged={() => undefined} /></WorkspaceContext.Provider>);
    await screen.findAllByText('5000.01');
    expect(screen.getAllByRole('button', { name: 'Withdraw' })).toHaveLength(1);
  });
});
