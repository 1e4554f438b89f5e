import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { helpdesk, mail, orderPatterns, syncEvents, type MailAccount, type SyncProgress } from '../../api';
import { WorkspaceContext } from '../../shell/workspace';
import SourcesView from './SourcesView';
import MailFrame from './MailFrame';

const account: MailAccount = {
  id: 3, name: '投诉邮箱', enabled: true, lastRunAt: '2026-11-25T01:00:00.000Z', lastError: '', secretsBackend: 'file',
  account: { host: 'imap.example.com', port: 993, security: 'tls', username: 'service' },
  folders: [
    { id: 1, name: 'INBOX', role: 'complaints', uidvalidity: 1, last_uid: 40, last_sync_at: '2026-11-25T01:00:00.000Z', last_error: '', message_count: 38, quarantined_count: 2, duplicate_count: 0, removed_count: 0 },
    { id: 2, name: 'Regulator', role: 'regulator', uidvalidity: 1, last_uid: 3, last_sync_at: '', last_error: 'examine Regulator: NO no such mailbox', message_count: 0, quarantined_count: 0, duplicate_count: 0, removed_count: 0 },
  ],
};
const ws = (role: 'admin' | 'supervisor') => ({ status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role });

// An admin opens "add mailbox" and fills in an account on imap.example.com.
async function openNewAccount(name: string, user: string) {
  render(<WorkspaceContext.Provider value={ws('admin')}><SourcesView param="" /></WorkspaceContext.Provider>);
  fireEvent.click(await screen.findByTestId('add-account'));
  fireEvent.change(await screen.findByTestId('f-name'), { target: { value: name } });
  fireEvent.change(screen.getByTestId('f-host'), { target: { value: 'imap.example.com' } });
  fireEvent.change(screen.getByTestId('f-user'), { target: { value: user } });
  fireEvent.change(screen.getByTestId('f-password'), { target: { value: 's3cret' } });
}

describe('SourcesView', () => {
  let progress: ((p: SyncProgress) => void) | undefined;
  beforeEach(() => {
    vi.spyOn(mail, 'accounts').mockResolvedValue([account]);
    vi.spyOn(mail, 'quarantine').mockResolvedValue([{ id: 9, sourceId: 3, folder: 'INBOX', uid: '17', size: 120, error: 'unreadable message: no header fields', attempts: 1, ingestedAt: '2026-11-25T01:00:00.000Z' }]);
    vi.spyOn(mail, 'add').mockResolvedValue(4);
    vi.spyOn(mail, 'retry').mockResolvedValue({ status: 'quarantined', case_id: 0 });
    vi.spyOn(mail, 'runNow').mockResolvedValue({ stats: { fetched: 2, ingested: 2, quarantined: 0, duplicates: 0, new_cases: 1 }, already_running: false });
    vi.spyOn(helpdesk, 'list').mockResolvedValue([]);
    vi.spyOn(orderPatterns, 'get').mockResolvedValue({ custom: false, patterns: [], defaults: [] });
    vi.spyOn(syncEvents, 'onProgress').mockImplementation((h) => {
      progress = h;
      return () => undefined;
    });
  });

  it('shows each folder with its counts, error and live progress; retries a quarantined message', async () => {
    render(<WorkspaceContext.Provider value={ws('supervisor')}><SourcesView param="" /></WorkspaceContext.Provider>);
    await waitFor(() => expect(screen.getByTestId('mail-accounts').textContent).toContain('imap.example.com:993'));
    const text = screen.getByTestId('mail-accounts').textContent ?? '';
    expect(text).toContain('38');
    expect(text).toContain('no such mailbox');
    expect(screen.queryByTestId('add-account')).toBeNull(); // supervisors sync but do not edit accounts
    progress?.({ source_id: 3, source: '投诉邮箱', folder: 'INBOX', phase: 'fetch', done: 5, total: 20, ingested: 5, quarantined: 0, duplicates: 0 });
    await waitFor(() => expect(screen.getByTestId('progress-3-INBOX').textContent).toContain('5/20'));
    let synced: (s: Awaited<ReturnType<typeof mail.runNow>>) => void = () => undefined;
    vi.mocked(mail.runNow).mockImplementationOnce(() => new Promise((resolve) => { synced = resolve; }));
    fireEvent.click(screen.getByTestId('sync-3'));
    await waitFor(() => expect(mail.runNow).toHaveBeenCalledWith(3));
    // While it runs the button turns and takes no second click.
    await waitFor(() => expect((screen.getByTestId('sync-3') as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByTestId('sync-3').querySelector('.anticon-spin')).toBeTruthy();
    synced({ stats: { fetched: 2, ingested: 2, quarantined: 0, duplicates: 0, new_cases: 1 }, already_running: false });
    await waitFor(() => expect((screen.getByTestId('sync-3') as HTMLButtonElement).disabled).toBe(false));
    expect(mail.runNow).toHaveBeenCalledTimes(1);
    expect(await screen.findByText(/Synced: fetched 2, ingested 2/)).toBeTruthy();
    // Pressed while the watcher syncs the mailbox: a notice, no error.
    vi.mocked(mail.runNow).mockResolvedValueOnce({ stats: { fetched: 0, ingested: 0, quarantined: 0, duplicates: 0, new_cases: 0 }, already_running: true });
    fireEvent.click(screen.getByTestId('sync-3'));
    expect(await screen.findByText(/being synced already/)).toBeTruthy();
    expect(screen.queryByTestId('sources-error')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('quarantine').textContent).toContain('no header fields'));
    fireEvent.click(screen.getByTestId('retry-9'));
    await waitFor(() => expect(mail.retry).toHaveBeenCalledWith(9));
  }, 90_000);

  it('adds an account with folders and roles', async () => {
    await openNewAccount('legal box', 'legal');
    fireEvent.click(screen.getByTestId('f-save'));
    await waitFor(() => expect(mail.add).toHaveBeenCalled());
    const req = vi.mocked(mail.add).mock.calls[0][0];
    expect(req).toMatchObject({ id: 0, name: 'legal box', password: 's3cret', account: { host: 'imap.example.com', port: 993, security: 'tls', username: 'legal' } });
    expect(req.folders).toEqual([{ name: 'INBOX', role: 'complaints' }]);
  }, 90_000);

  it('says how many cases became regulator matters when a folder is saved as a regulator folder', async () => {
    vi.spyOn(mail, 'update').mockResolvedValue(2);
    render(<WorkspaceContext.Provider value={ws('admin')}><SourcesView param="" /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByTestId('edit-3'));
    fireEvent.click(await screen.findByTestId('f-save'));
    await waitFor(() => expect(mail.update).toHaveBeenCalled());
    expect(vi.mocked(mail.update).mock.calls[0][0]).toMatchObject({ id: 3, password: '' });
    expect(await screen.findByText(/2 cases whose mail came from the folder are now regulator matters/)).toBeTruthy();
  }, 90_000);

  it('fills the server settings from a mail service picked from the list, with its password hint', async () => {
    render(<WorkspaceContext.Provider value={ws('admin')}><SourcesView param="" /></WorkspaceContext.Provider>);
    fireEvent.click(await screen.findByTestId('add-account'));
    fireEvent.mouseDown(within(await screen.findByTestId('f-provider')).getByRole('combobox'));
    await waitFor(() => expect(document.querySelector('.ant-select-item-option[title="163 Mail"]')).toBeTruthy());
    fireEvent.click(document.querySelector('.ant-select-item-option[title="163 Mail"]')!);
    await waitFor(() => expect((screen.getByTestId('f-host') as HTMLInputElement).value).toBe('imap.163.com'));
    expect(await screen.findByText(/authorisation code/)).toBeTruthy();
    // A host typed by hand that is no known service: the pick shows "other" and the hint goes.
    fireEvent.change(screen.getByTestId('f-host'), { target: { value: 'mail.shop.example' } });
    await waitFor(() => expect(screen.queryByText(/authorisation code/)).toBeNull());
    expect(within(screen.getByTestId('f-provider')).getByText(/Other/)).toBeTruthy();
  }, 90_000);

  it('shows what a connection test found (what the capabilities mean, each folder, a missing one in red) and adds a folder picked there with its role', async () => {
    vi.spyOn(mail, 'test').mockResolvedValue({
      capabilities: ['IDLE', 'IMAP4rev1', 'UIDPLUS'], idle: true, condstore: false,
      folders: [
        { name: 'Archive', messages: 1200, configured: false },
        { name: 'INBOX', messages: 38, configured: true, role: 'complaints' },
        { name: 'Regulator', messages: 0, configured: true, role: 'regulator', error: 'no such mailbox on the server' },
      ],
    });
    await openNewAccount('box', 'service');
    fireEvent.click(screen.getByTestId('f-test'));
    const result = await screen.findByTestId('test-result');
    expect(screen.getByTestId('test-idle').className).toContain('green');
    expect(screen.getByTestId('test-condstore').className).toContain('orange');
    expect(screen.getByTestId('test-condstore').textContent).toContain('CONDSTORE');
    const text = result.textContent ?? '';
    expect(text).toContain('UIDPLUS');
    expect(text).toContain('1200');
    expect(text).toContain('no such mailbox on the server');
    // The form's folders come first; a folder the server lacks cannot be picked.
    expect(text.indexOf('INBOX')).toBeLessThan(text.indexOf('Archive'));
    expect(screen.queryByTestId('test-add-regulator-Regulator')).toBeNull();
    expect(screen.queryByTestId('test-add-complaints-INBOX')).toBeNull();
    // Picking a folder from the test, as a regulator folder, adds it to the form, and the account is saved with it.
    fireEvent.click(screen.getByTestId('test-add-regulator-Archive'));
    await waitFor(() => expect(screen.queryByTestId('test-add-regulator-Archive')).toBeNull());
    expect(screen.queryByTestId('test-add-complaints-Archive')).toBeNull();
    fireEvent.click(screen.getByTestId('f-save'));
    await waitFor(() => expect(mail.add).toHaveBeenCalled());
    expect(vi.mocked(mail.add).mock.calls.at(-1)?.[0].folders).toEqual([{ name: 'INBOX', role: 'complaints' }, { name: 'Archive', role: 'regulator' }]);
  }, 90_000);

  it('shows a test at work (it may wait 30 s for a silent server) and starts no second call meanwhile', async () => {
    let answer: (r: Awaited<ReturnType<typeof mail.test>>) => void = () => undefined;
    vi.spyOn(mail, 'test').mockImplementation(() => new Promise((resolve) => { answer = resolve; }));
    await openNewAccount('box', 'service');
    fireEvent.click(screen.getByTestId('f-test'));
    await waitFor(() => expect(screen.getByTestId('f-test').className).toContain('ant-btn-loading'));
    expect((screen.getByTestId('f-save') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('f-save'));
    expect(mail.add).not.toHaveBeenCalled();
    answer({ capabilities: ['IMAP4rev1'], idle: false, condstore: false, folders: [] });
    await screen.findByTestId('test-result');
    await waitFor(() => expect(screen.getByTestId('f-test').className).not.toContain('ant-btn-loading'));
    expect((screen.getByTestId('f-save') as HTMLButtonElement).disabled).toBe(false);
  }, 90_000);

  it('takes a connection test back once the server settings or the password change, and shows it again when the settings are as tested', async () => {
    vi.spyOn(mail, 'test').mockResolvedValue({ capabilities: ['IMAP4rev1'], idle: false, condstore: false, folders: [{ name: 'INBOX', messages: 3, configured: true, role: 'complaints' }] });
    await openNewAccount('box', 'service');
    fireEvent.click(screen.getByTestId('f-test'));
    await screen.findByTestId('test-result');
    expect(screen.queryByTestId('test-stale')).toBeNull();
    fireEvent.change(screen.getByTestId('f-host'), { target: { value: 'imap.other.example' } });
    await waitFor(() => expect(screen.queryByTestId('test-result')).toBeNull());
    expect(screen.getByTestId('test-stale').textContent).toContain('test the connection again');
    fireEvent.change(screen.getByTestId('f-host'), { target: { value: 'imap.example.com ' } }); // the same server, a stray space
    await screen.findByTestId('test-result');
    fireEvent.change(screen.getByTestId('f-user'), { target: { value: 'someone-else' } });
    await waitFor(() => expect(screen.getByTestId('test-stale')).toBeTruthy());
    fireEvent.change(screen.getByTestId('f-user'), { target: { value: 'service' } });
    await screen.findByTestId('test-result');
    // Another password: the form keeps no copy of the tested one to compare with, so the test is taken back.
    fireEvent.change(screen.getByTestId('f-password'), { target: { value: 'other' } });
    await waitFor(() => expect(screen.queryByTestId('test-result')).toBeNull());
    expect(screen.getByTestId('test-stale')).toBeTruthy();
  }, 90_000);
});

describe('MailFrame', () => {
  it('renders the sanitised document in a script-less sandbox and loads remote images only on request', async () => {
    const html = vi.spyOn(mail, 'messageHTML').mockImplementation(async (_id, remote) => ({
      document: '<html><body><p>hi</p></body></html>', csp: remote ? "img-src data: https:" : "default-src 'none'", hasRemote: true, remoteAllowed: remote,
    }));
    const { container } = render(<MailFrame eventId={5} />);
    await waitFor(() => expect(container.querySelector('iframe')).not.toBeNull());
    const frame = container.querySelector('iframe')!;
    expect(frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    expect(frame.getAttribute('sandbox')).not.toContain('allow-same-origin');
    expect(html).toHaveBeenLastCalledWith(5, false);
    fireEvent.click(screen.getByTestId('show-remote'));
    await waitFor(() => expect(html).toHaveBeenLastCalledWith(5, true));
  });
});
