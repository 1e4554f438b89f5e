import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { helpdesk, syncEvents, type SourceStatus, type SyncProgress } from '../../api';
import { WorkspaceContext } from '../../shell/workspace';
import IntakeSources from './IntakeSources';

const rt: SourceStatus = { id: 3, kind: 'rt', name: '客服RT', enabled: true, settings: { base_url: 'http://rt' }, last_run_at: '2026-11-25T02:00:00Z', last_error: 'HTTP 401', counts: { ingested: 12 } };
const ws = { status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role: 'manager' as const };

describe('IntakeSources', () => {
  let progress: (p: SyncProgress) => void = () => undefined;
  beforeEach(() => {
    vi.spyOn(helpdesk, 'list').mockResolvedValue([rt]);
    vi.spyOn(syncEvents, 'onProgress').mockImplementation((h) => { progress = h; return () => undefined; });
  });

  it('shows status and error, and a progress bar while running now', async () => {
    let finish: (v: unknown) => void = () => undefined;
    vi.spyOn(helpdesk, 'runNow').mockReturnValue(new Promise((r) => { finish = r; }));
    render(<WorkspaceContext.Provider value={ws}><IntakeSources /></WorkspaceContext.Provider>);
    expect(await screen.findByText('HTTP 401')).toBeTruthy();
    fireEvent.click(screen.getByTestId('run-3'));
    expect(helpdesk.runNow).toHaveBeenCalledWith(3);
    progress({ source_id: 3, source: '客服RT', folder: 'tickets', phase: 'fetch', done: 1, total: 4, ingested: 1, quarantined: 0, duplicates: 0 });
    await waitFor(() => expect(screen.getByTestId('progress-3').textContent).toContain('25%'));
    finish({});
    await waitFor(() => expect(screen.getByTestId('run-3')).toBeTruthy());
  }, 90_000); // Ant Design renders slowly on the loaded 2-core CI box
});
