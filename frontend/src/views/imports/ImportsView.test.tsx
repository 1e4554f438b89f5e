import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { imports, type ImportPreview } from '../../api';
import { WorkspaceContext } from '../../shell/workspace';
import ImportsView from './ImportsView';

const preview: ImportPreview = {
  filename: 'sheet.csv', format: 'csv', encoding: 'gb18030', header: ['标题', '内容', '日期'], preset: 'generic',
  mapping: { subject: '标题', body: '内容', created_at: '日期' }, total: 3, good: 2, bad: 1,
  rows: [
    { row: 2, key: 'k1', fields: { subject: '奶粉结块', body: '结块' }, created_at: '2026-11-19T16:00:00Z' },
    { row: 3, key: '', fields: {}, error: 'created_at (日期): "2026-13-45" is not a date' },
  ],
  bad_rows: [{ row: 3, key: '', fields: {}, error: 'created_at (日期): "2026-13-45" is not a date' }],
};
const ws = { status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role: 'supervisor' as const };

describe('ImportsView', () => {
  beforeEach(() => {
    vi.spyOn(imports, 'presets').mockResolvedValue({ presets: [{ name: 'generic', label: '通用表格', regulator: false, columns: {}, required: [] }], fields: ['subject', 'body', 'created_at'] });
    vi.spyOn(imports, 'list').mockResolvedValue([]);
    vi.spyOn(imports, 'preview').mockResolvedValue(preview);
    vi.spyOn(imports, 'run').mockResolvedValue({ import_id: 7, total: 3, imported: 2, duplicate: 0, bad: 1, new_cases: 2, bad_rows: [{ row: 3, reason: 'bad date' }] });
  });

  it('previews with the mapping, lists bad rows with their numbers, then imports', async () => {
    render(<WorkspaceContext.Provider value={ws}><ImportsView param="" /></WorkspaceContext.Provider>);
    fireEvent.change(screen.getByTestId('import-path'), { target: { value: '/tmp/sheet.csv' } });
    fireEvent.click(screen.getByTestId('preview'));
    await waitFor(() => expect(screen.getByTestId('preview-summary').textContent).toMatch(/gb18030.*3.*2.*1/));
    expect(imports.preview).toHaveBeenCalledWith({ path: '/tmp/sheet.csv', preset: '', mapping: null });
    expect(screen.getByTestId('bad-rows').textContent).toContain('2026-13-45');
    fireEvent.click(screen.getByTestId('run-import'));
    await waitFor(() => expect(screen.getByTestId('import-report').textContent).toMatch(/#7/));
    expect(imports.run).toHaveBeenCalledWith({ path: '/tmp/sheet.csv', preset: 'generic', mapping: preview.mapping });
  }, 90_000); // the drawer/table render takes ~20 s on the loaded 2-core CI box

  it('shows a backend error instead of a preview', async () => {
    vi.mocked(imports.preview).mockRejectedValueOnce('read /tmp/x.csv: no such file');
    render(<WorkspaceContext.Provider value={ws}><ImportsView param="" /></WorkspaceContext.Provider>);
    fireEvent.change(screen.getByTestId('import-path'), { target: { value: '/tmp/x.csv' } });
    fireEvent.click(screen.getByTestId('preview'));
    await waitFor(() => expect(screen.getByTestId('imports-error').textContent).toContain('no such file'));
    expect(screen.queryByTestId('run-import')).toBeNull();
  }, 90_000); // the drawer/table render takes ~20 s on the loaded 2-core CI box
});
