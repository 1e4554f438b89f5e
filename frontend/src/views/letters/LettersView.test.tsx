import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { letters, type Letter } from '../../api';
import { WorkspaceContext } from '../../shell/workspace';
import LettersView, { zoneDate } from './LettersView';

const letter: Letter = {
  id: 5, source_id: 1, filename: '转办函.pdf', sha256: 'ab'.repeat(32), size: 1000, format: 'pdf', text: '上海市浦东新区市场监督管理局\n工单编号：SH12315-2026-000777',
  text_status: 'text', note: '', work_order_no: 'SH12315-2026-000777', office: '上海市浦东新区市场监督管理局',
  received_on: '2026-11-23T16:00:00Z', stated_deadline: '2026-12-05T15:59:59Z', deadline_text: '请于2026年12月5日前', status: 'proposed',
  case_id: 0, found_at: '2026-11-25T02:00:00Z', decided_by: '',
};
const ws = (role: 'legal' | 'supervisor') => ({ status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role });

describe('zoneDate', () => {
  it.each([
    ['2026-12-05', true, '2026-12-05T15:59:59.000Z'],
    ['2026-11-24', false, '2026-11-23T16:00:00.000Z'],
    ['', false, null],
    ['not a date', false, null],
  ] as [string, boolean, string | null][])('%s end=%s', (day, end, want) => expect(zoneDate(day, 'Asia/Shanghai', end)).toBe(want));
});

describe('LettersView', () => {
  beforeEach(() => {
    vi.spyOn(letters, 'list').mockResolvedValue([letter]);
    vi.spyOn(letters, 'sources').mockResolvedValue([]);
    vi.spyOn(letters, 'file').mockResolvedValue({ status: 'ingested', raw_item_id: 9, case_id: 42, new_case: true });
  });

  it('files a letter as a new matter with the confirmed fields', async () => {
    render(<WorkspaceContext.Provider value={ws('legal')}><LettersView param="" /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByText('转办函.pdf'));
    fireEvent.click(await screen.findByTestId('file-letter'));
    await waitFor(() => expect(letters.file).toHaveBeenCalled());
    expect(vi.mocked(letters.file).mock.calls[0]).toEqual([5, {
      work_order_no: 'SH12315-2026-000777', office: '上海市浦东新区市场监督管理局', received_on: '2026-11-23T16:00:00.000Z',
      deadline: '2026-12-05T15:59:59.000Z', case_id: 0, new_matter: true,
    }]);
  }, 90_000); // the drawer/table render takes ~20 s on the loaded 2-core CI box

  it('sends a dropped file to the letters folder as base64', async () => {
    vi.mocked(letters.sources).mockResolvedValue([{ id: 2, kind: 'letters', name: '来函', config_json: '{}', enabled: true, last_run_at: '', last_error: '' }]);
    vi.spyOn(letters, 'addUpload').mockResolvedValue({ letter_id: 6, name: 'scan.png', new: true });
    const { container } = render(<WorkspaceContext.Provider value={ws('supervisor')}><LettersView param="" /></WorkspaceContext.Provider>);
    await screen.findByTestId('letters-drop');
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['扫描'], 'scan.png', { type: 'image/png' })] } });
    await waitFor(() => expect(letters.addUpload).toHaveBeenCalledWith(2, 'scan.png', Buffer.from('扫描').toString('base64')));
  }, 90_000); // Ant Design renders slowly on the loaded 2-core CI box

  it('shows supervisors the letter without the filing form', async () => {
    render(<WorkspaceContext.Provider value={ws('supervisor')}><LettersView param="" /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByText('转办函.pdf'));
    await screen.findByTestId('letter-text');
    expect(screen.queryByTestId('file-letter')).toBeNull();
  }, 90_000); // the drawer/table render takes ~20 s on the loaded 2-core CI box
});
