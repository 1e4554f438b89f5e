import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { shifts, type Sheet, type Shift, type User } from '../../api';
import i18n from '../../i18n';
import { WorkspaceContext } from '../../shell/workspace';
import ShiftView, { colleagues, sheetState } from './ShiftView';

const zero = '0001-01-01T00:00:00Z';
const sheet = (over: Partial<Sheet>): Sheet => ({
  id: 1, outgoing_id: 2, outgoing: 'zhang.wei', incoming_id: 3, incoming: 'li.na', notes: '注意奶粉批次', created_at: '2026-06-18T00:00:00Z',
  signed_at: zero, acknowledged_at: zero, escalated_at: zero, items: [{ kind: 'case', id: 42, title: '奶粉结块', level: 1, status: 'open', flags: ['safety'] }], ...over,
});
const roster: Shift[] = [
  { id: 1, name: '早班', starts_at: '2026-06-18T00:00:00Z', ends_at: '2026-06-18T08:00:00Z', supervisor_id: 2, supervisor: '张伟' },
  { id: 2, name: '中班', starts_at: '2026-06-18T08:00:00Z', ends_at: '2026-06-18T16:00:00Z', supervisor_id: 3, supervisor: '李娜' },
];
const user = (id: number): User => ({ id, username: id === 2 ? 'zhang.wei' : 'li.na', displayName: '', role: 'supervisor', active: true, createdAt: '', failedLogins: 0, lockedUntil: '', passwordChangedAt: '' });
const withUser = (id: number) => ({ status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: true }, zone: 'Asia/Shanghai', role: 'supervisor' as const, user: user(id) });

describe('shift helpers', () => {
  it.each([
    [sheet({}), 'draft'],
    [sheet({ signed_at: '2026-06-18T08:00:00Z' }), 'signed'],
    [sheet({ signed_at: '2026-06-18T08:00:00Z', escalated_at: '2026-06-18T09:00:00Z' }), 'escalated'],
    [sheet({ signed_at: '2026-06-18T08:00:00Z', acknowledged_at: '2026-06-18T08:05:00Z' }), 'acknowledged'],
  ] as [Sheet, string][])('sheetState %#', (s, want) => expect(sheetState(s)).toBe(want));
  it('colleagues leaves me out and dedupes', () => {
    expect(colleagues([...roster, { ...roster[1]!, id: 3 }], 2)).toEqual([{ id: 3, name: '李娜' }]);
  });
});

describe('ShiftView', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    vi.mocked(shifts.roster).mockResolvedValue(roster);
  });

  it('outgoing: generate the sheet for the next supervisor and sign it off', async () => {
    vi.mocked(shifts.generate).mockResolvedValue(sheet({}));
    vi.mocked(shifts.signOff).mockResolvedValue(sheet({ signed_at: '2026-06-18T08:00:00Z' }));
    render(<WorkspaceContext.Provider value={withUser(2)}><ShiftView /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByText('Hand over'));
    fireEvent.mouseDown(screen.getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('李娜'));
    fireEvent.change(screen.getByTestId('handover-notes'), { target: { value: '注意奶粉批次' } });
    await act(async () => { fireEvent.click(screen.getByTestId('handover-generate')); });
    expect(shifts.generate).toHaveBeenCalledWith(3, '注意奶粉批次');
    expect((await screen.findByTestId('handover-sheet')).textContent).toContain('奶粉结块');
    await act(async () => { fireEvent.click(screen.getByTestId('handover-signoff')); });
    expect(shifts.signOff).toHaveBeenCalledWith(1, '注意奶粉批次');
  });

  it('incoming: a signed sheet waits for my acknowledgement', async () => {
    vi.mocked(shifts.history).mockResolvedValue([sheet({ signed_at: '2026-06-18T08:00:00Z' })]);
    vi.mocked(shifts.acknowledge).mockResolvedValue(sheet({ signed_at: '2026-06-18T08:00:00Z', acknowledged_at: '2026-06-18T08:05:00Z' }));
    render(<WorkspaceContext.Provider value={withUser(3)}><ShiftView /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByText('Incoming'));
    await screen.findByTestId('incoming-sheet');
    await act(async () => { fireEvent.click(screen.getByTestId('handover-ack')); });
    await waitFor(() => expect(shifts.acknowledge).toHaveBeenCalledWith(1, ''));
  });
});
