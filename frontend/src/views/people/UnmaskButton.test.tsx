import { describe, expect, it, vi, beforeEach } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import i18n from '../../i18n';
import { WorkspaceContext, type Workspace } from '../../shell/workspace';
import UnmaskButton from './UnmaskButton';

const ws = (role: Workspace['role']): Workspace => ({
  status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role,
});

let unmask: ReturnType<typeof vi.fn>;
beforeEach(() => {
  void i18n.changeLanguage('en');
  unmask = vi.fn(async () => ({ caseId: 4, name: '王小明', email: 'wxm@qq.com', phone: '13812345678', address: '上海市浦东新区张江路1号', idNumber: '' }));
  window.go = { app: { People: { UnmaskCustomer: unmask } } };
});

describe('UnmaskButton', () => {
  it('is not offered to supervisors and admins', () => {
    for (const role of ['supervisor', 'admin'] as const) {
      const { container, unmount } = render(<WorkspaceContext.Provider value={ws(role)}><UnmaskButton caseId={4} /></WorkspaceContext.Provider>);
      expect(container.textContent).toBe('');
      unmount();
    }
  });

  it('asks for a purpose, then shows the clear data for legal', async () => {
    render(<WorkspaceContext.Provider value={ws('legal')}><UnmaskButton caseId={4} /></WorkspaceContext.Provider>);
    fireEvent.click(screen.getByTestId('unmask'));
    const dialog = await screen.findByRole('dialog');
    const show = within(dialog).getByRole('button', { name: 'Show' }) as HTMLButtonElement;
    expect(show.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId('unmask-purpose'), { target: { value: '12315 reply' } });
    fireEvent.click(show);
    await waitFor(() => expect(unmask).toHaveBeenCalledWith(4, '12315 reply'));
    expect((await screen.findByTestId('unmasked')).textContent).toContain('13812345678');
  });
});
