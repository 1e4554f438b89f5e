import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { board, helpdesk, mail, shifts, type Board, type Card, type MailAccount, type SavedView, type Shift, type SourceStatus, type User } from '../../api';
import i18n from '../../i18n';
import { WorkspaceContext, type Workspace } from '../../shell/workspace';
import BoardView, { emptyColumns, shiftOptions, sourceOptions } from './BoardView';

const supervisor: User = { id: 7, username: 'zhang.wei', displayName: '张伟', role: 'supervisor', active: true, createdAt: '', failedLogins: 0, lockedUntil: '', passwordChangedAt: '' };
const workspace = (user: User | undefined): Workspace => ({
  status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: true }, zone: 'Asia/Shanghai', role: user?.role, user,
});
const inWorkspace = (user: User | undefined) => <WorkspaceContext.Provider value={workspace(user)}><BoardView /></WorkspaceContext.Provider>;
const renderBoard = () => render(inWorkspace(supervisor));

const card = (id: number, level: 0 | 1 | 2 | 3, title: string): Card => ({
  case: {
    id, title, level, type: 'product', subtype: 'quality', flags: [{ name: 'safety', evidence: '过敏' }], status: 'open',
    owner: id % 2 ? '张主管' : '', owner_id: id % 2 ? 7 : 0, customer: '王*', customer_email: 'w***@example.com', order_no: `JD${id}`,
    channels: ['email'], message_count: 1, deadlines: [], incident_id: 0, is_regulator: false, work_order_no: '',
    opened_at: '2026-06-18T00:00:00Z', last_activity: '2026-06-18T00:00:00Z',
  },
  nearest: { clock: 'first_response', due_at: '2099-01-01T00:00:00Z', state: 'running', percent: 10 },
});

const boardAnswer: Board = {
  groupBy: 'level',
  total: 10003,
  at: '2026-06-18T00:00:00Z',
  incidents: [{ id: 3, key: 'batch:AB2026', title: '奶粉批次 AB2026 结块', level: 1, openedAt: '2026-06-17T00:00:00Z', caseCount: 10 }],
  columns: [
    { key: 'L1', level: 1, status: '', count: 1, cards: [card(1, 1, '奶粉结块 宝宝腹泻')] },
    { key: 'L2', level: 2, status: '', count: 10000, cards: Array.from({ length: 60 }, (_, i) => card(100 + i, 2, `物流延迟 ${i}`)) },
    { key: 'L3', level: 3, status: '', count: 1, cards: [card(2, 3, '赠品漏发')] },
    { key: 'L0', level: 0, status: '', count: 1, cards: [card(3, 0, '未分类')] },
  ],
};

const roster: Shift[] = [
  { id: 11, name: '早班', starts_at: '2026-06-18T00:00:00Z', ends_at: '2026-06-18T08:00:00Z', supervisor_id: 7, supervisor: '张伟' },
  { id: 12, name: '中班', starts_at: '2026-06-18T08:00:00Z', ends_at: '2026-06-18T16:00:00Z', supervisor_id: 8, supervisor: '李娜' },
];

describe('shiftOptions', () => {
  it('labels shifts in the workspace zone and keeps a saved view\'s shift that left the roster', () => {
    expect(shiftOptions(roster, 'Asia/Shanghai', 3, (id) => `#${id}`)).toEqual([
      { value: 11, label: '早班 · 张伟 · 06-18 08:00' },
      { value: 12, label: '中班 · 李娜 · 06-18 16:00' },
      { value: 3, label: '#3' },
    ]);
    expect(shiftOptions(roster, 'Asia/Shanghai', 12, String)).toHaveLength(2);
  });
});

const accounts: MailAccount[] = [
  { id: 3, name: '投诉邮箱', enabled: true, account: { host: 'imap.example.com', port: 993, security: 'tls', username: 'service' }, folders: [], lastRunAt: '', lastError: '', secretsBackend: 'file' },
];
const intake = (id: number, kind: SourceStatus['kind'], name: string): SourceStatus => ({ id, kind, name, enabled: true, settings: {}, last_run_at: '', last_error: '', counts: {} });
const intakeSources = [intake(21, 'rt', 'RT 客服'), intake(22, 'letters', '来函'), intake(23, 'import', '文件导入')];

describe('sourceOptions', () => {
  it('groups IMAP accounts, helpdesk, letters and imports; keeps a saved view\'s source that is gone', () => {
    expect(sourceOptions(accounts, intakeSources, [23, 9], (k) => k, (id) => `#${id}`)).toEqual([
      { label: 'imap', options: [{ value: 3, label: '投诉邮箱' }] },
      { label: 'rt', options: [{ value: 21, label: 'RT 客服' }] },
      { label: 'letters', options: [{ value: 22, label: '来函' }] },
      { label: 'import', options: [{ value: 23, label: '文件导入' }] },
      { value: 9, label: '#9' },
    ]);
    expect(sourceOptions([], [intakeSources[0]!], undefined, (k) => k, String)).toEqual([{ label: 'rt', options: [{ value: 21, label: 'RT 客服' }] }]);
  });
});

describe('BoardView', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    vi.mocked(board.get).mockResolvedValue(boardAnswer);
    vi.mocked(board.move).mockReset();
    vi.mocked(shifts.roster).mockResolvedValue(roster);
    vi.mocked(board.views).mockResolvedValue([]);
    vi.spyOn(mail, 'accounts').mockResolvedValue(accounts);
    vi.spyOn(helpdesk, 'list').mockResolvedValue(intakeSources);
  });

  it('stands its columns up empty, without counts, until the board answers', async () => {
    let answer!: (b: Board) => void;
    vi.mocked(board.get).mockReturnValueOnce(new Promise((r) => (answer = r)));
    renderBoard();
    expect(['L1', 'L2', 'L3', 'L0'].map((k) => !!screen.queryByTestId(`column-${k}`))).toEqual([true, true, true, true]);
    expect(screen.queryByTestId('count-L1')).toBeNull();
    expect(emptyColumns('status').map((c) => c.key)).toEqual(['open', 'pending', 'resolved', 'closed']);
    await act(async () => answer(boardAnswer));
    expect(screen.getByTestId('count-L2').textContent).toContain('10000');
  });

  it('standby (signed out, behind the sign-in form) loads nothing and ignores keys; the sign-in loads the same mounted board', async () => {
    vi.mocked(board.get).mockClear();
    vi.mocked(shifts.roster).mockClear();
    vi.mocked(board.views).mockClear();
    const { rerender } = render(inWorkspace(undefined));
    const mounted = screen.getByTestId('board');
    fireEvent.keyDown(window, { key: '/' });
    await act(async () => { await new Promise((r) => setTimeout(r, 50)); });
    expect(board.get).not.toHaveBeenCalled();
    expect(shifts.roster).not.toHaveBeenCalled();
    expect(board.views).not.toHaveBeenCalled();
    expect(document.activeElement).not.toBe(within(mounted).getByRole('searchbox'));

    rerender(inWorkspace(supervisor));
    await screen.findByText(/奶粉结块/);
    expect(screen.getByTestId('board')).toBe(mounted);
    expect(board.get).toHaveBeenCalledTimes(1);
    expect(shifts.roster).toHaveBeenCalledTimes(1);
    expect(board.views).toHaveBeenCalledTimes(1);
  });

  it('the source picker lists the workspace\'s sources when opened and sends the chosen ones; a saved view keeps them', async () => {
    vi.mocked(mail.accounts).mockClear();
    const saved: SavedView = { id: 6, owner: 'sup1', name: 'mail+rt', groupBy: 'level', filter: { sourceIds: [3, 21] }, createdAt: '', updatedAt: '' };
    vi.mocked(board.saveView).mockResolvedValue(saved);
    renderBoard();
    await screen.findByText(/奶粉结块/);
    const lastFilter = () => vi.mocked(board.get).mock.lastCall?.[0].filter;
    // Not listed until someone opens the picker: the first paint does not wait on it.
    expect(mail.accounts).not.toHaveBeenCalled();

    const option = async (label: string) => {
      await waitFor(() => expect(document.querySelector(`.ant-select-item-option[title="${label}"]`)).toBeTruthy());
      return document.querySelector(`.ant-select-item-option[title="${label}"]`)!;
    };
    fireEvent.mouseDown(within(screen.getByTestId('filter-source')).getByRole('combobox'));
    expect(await screen.findByText('Mailbox (IMAP)')).toBeTruthy();
    expect(screen.getByText('RT helpdesk')).toBeTruthy();
    fireEvent.click(await option('投诉邮箱'));
    await waitFor(() => expect(lastFilter()).toEqual({ sourceIds: [3] }));
    fireEvent.click(await option('RT 客服'));
    await waitFor(() => expect(lastFilter()).toEqual({ sourceIds: [3, 21] }));

    fireEvent.click(screen.getByTitle('Save this view'));
    fireEvent.change(await screen.findByPlaceholderText('View name'), { target: { value: 'mail+rt' } });
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'OK' })); });
    expect(board.saveView).toHaveBeenCalledWith('mail+rt', expect.objectContaining({ filter: { sourceIds: [3, 21] } }));

    // Deselecting every source drops the key rather than sending an empty list.
    fireEvent.click(await option('投诉邮箱'));
    fireEvent.click(await option('RT 客服'));
    await waitFor(() => expect(lastFilter()).toEqual({}));
  });

  it('applying a saved view with sources loads their names into the picker', async () => {
    vi.mocked(board.views).mockResolvedValue([
      { id: 6, owner: 'sup1', name: 'letters', groupBy: 'level', filter: { sourceIds: [22] }, createdAt: '', updatedAt: '' },
    ]);
    renderBoard();
    await screen.findByText(/奶粉结块/);
    fireEvent.mouseDown(within(screen.getByTestId('saved-views')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('letters'));
    await waitFor(() => expect(vi.mocked(board.get).mock.lastCall?.[0].filter).toEqual({ sourceIds: [22] }));
    await waitFor(() => expect(screen.getByTestId('filter-source').textContent).toContain('来函'));
  });

  it('the shift and breached filters go into the board query and into a saved view', async () => {
    const saved: SavedView = { id: 5, owner: 'sup1', name: 'mine', groupBy: 'level', filter: { shiftId: 12, breached: true }, createdAt: '', updatedAt: '' };
    vi.mocked(board.saveView).mockResolvedValue(saved);
    renderBoard();
    await screen.findByText(/奶粉结块/);
    const lastFilter = () => vi.mocked(board.get).mock.lastCall?.[0].filter;
    expect(lastFilter()).toEqual({});

    fireEvent.mouseDown(within(screen.getByTestId('filter-shift')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('中班 · 李娜 · 06-18 16:00'));
    await waitFor(() => expect(lastFilter()).toEqual({ shiftId: 12 }));
    fireEvent.click(screen.getByTestId('filter-breached'));
    await waitFor(() => expect(lastFilter()).toEqual({ shiftId: 12, breached: true }));

    fireEvent.click(screen.getByTitle('Save this view'));
    fireEvent.change(await screen.findByPlaceholderText('View name'), { target: { value: 'mine' } });
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'OK' })); });
    expect(board.saveView).toHaveBeenCalledWith('mine', expect.objectContaining({ filter: { shiftId: 12, breached: true } }));

    // Switching breached off drops it from the query rather than sending false.
    fireEvent.click(screen.getByTestId('filter-breached'));
    await waitFor(() => expect(lastFilter()).toEqual({ shiftId: 12 }));
  });

  it('applying a saved view restores the shift and breached controls', async () => {
    vi.mocked(board.views).mockResolvedValue([
      { id: 5, owner: 'sup1', name: 'late ones', groupBy: 'level', filter: { shiftId: 11, breached: true }, createdAt: '', updatedAt: '' },
    ]);
    renderBoard();
    await screen.findByText(/奶粉结块/);
    fireEvent.mouseDown(within(screen.getByTestId('saved-views')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('late ones'));
    await waitFor(() => expect(vi.mocked(board.get).mock.lastCall?.[0].filter).toEqual({ shiftId: 11, breached: true }));
    expect(screen.getByTestId('filter-breached').getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('filter-shift').textContent).toContain('早班 · 张伟');
  });

  it('shows counts, incidents and only a window of a 10,000-card column', async () => {
    renderBoard();
    await screen.findByText(/奶粉结块 宝宝腹泻/);
    expect(screen.getByTestId('incident-strip').textContent).toContain('奶粉批次 AB2026 结块');
    expect(within(screen.getByTestId('column-L2')).getByTitle('10000')).toBeTruthy();
    // virtualised: far fewer DOM cards than the column holds
    expect(within(screen.getByTestId('column-L2')).getAllByTestId('case-card').length).toBeLessThan(30);
  });

  it('search sends the text as the filter query', async () => {
    renderBoard();
    await screen.findByText(/奶粉结块/);
    const input = screen.getByPlaceholderText(/Search titles/);
    fireEvent.change(input, { target: { value: '奶粉' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' });
    await waitFor(() => expect(vi.mocked(board.get).mock.lastCall?.[0].filter.query).toBe('奶粉'));
  });

  it('dropping a card on level 1 asks a reason and moves with it', async () => {
    vi.mocked(board.move).mockResolvedValue({ card: card(2, 1, '赠品漏发'), changes: [{ field: 'level', from: '3', to: '1' }] });
    renderBoard();
    const src = (await screen.findByText(/赠品漏发/)).closest('[data-testid="case-card"]')!;
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? '', effectAllowed: '' };
    fireEvent.dragStart(src, { dataTransfer });
    fireEvent.drop(screen.getByTestId('column-L1'), { dataTransfer });
    const reason = await screen.findByTestId('move-reason');
    const ok = document.getElementById('move-ok') as HTMLButtonElement;
    expect(ok.disabled).toBe(true); // no reason, no move
    fireEvent.change(reason, { target: { value: '客户提到婴儿就医' } });
    await act(async () => { fireEvent.click(document.getElementById('move-ok')!); });
    expect(board.move).toHaveBeenCalledWith({ caseId: 2, level: 1, reason: '客户提到婴儿就医' });
  });

  it('keyboard: j selects, e asks to escalate one level', async () => {
    renderBoard();
    await screen.findByText(/奶粉结块/);
    fireEvent.keyDown(window, { key: 'j' });
    fireEvent.keyDown(window, { key: 'j' });
    await waitFor(() => expect(document.querySelector('.case-card-selected')?.textContent).toContain('物流延迟 0'));
    fireEvent.keyDown(window, { key: 'e' });
    expect(await screen.findByText('Change the level of case #100')).toBeTruthy();
  });
});
