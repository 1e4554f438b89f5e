import { describe, expect, it, vi, beforeEach } from 'vitest';
import { useEffect } from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import i18n from '../../i18n';
import SignInGate from './SignInGate';
import { system, type AuthState } from '../../api';

// The bound People service, faked at the window.go boundary that the real api module calls (the Go side
// does not run under Vitest; the E2E drives the real one).
const signedOut: AuthState = { open: true, needsSetup: false, signedIn: false, locked: false, user: null, idleMinutes: 15, seesPii: false };
const user = { id: 2, username: 'mgr.li', displayName: '李经理', role: 'manager' as const, active: true, createdAt: '', failedLogins: 0, lockedUntil: '', passwordChangedAt: '' };
let people: Record<string, ReturnType<typeof vi.fn>>;

beforeEach(() => {
  void i18n.changeLanguage('en');
  people = {
    State: vi.fn(async () => signedOut),
    SignIn: vi.fn(async () => ({ ...signedOut, signedIn: true, user })),
    Setup: vi.fn(),
    Unlock: vi.fn(async () => ({ ...signedOut, signedIn: true, user })),
    SignOut: vi.fn(async () => signedOut),
  };
  window.go = { app: { People: people } };
});

describe('SignInGate', () => {
  it('signs in and then renders the app with the role', async () => {
    render(<SignInGate demo>{(s) => <div data-testid="inside">{s.user?.role}</div>}</SignInGate>);
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'mgr.li' } });
    expect(system.mark).toHaveBeenCalledWith('signin-form'); // what `make bench-board` waits for
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret-password' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    expect((await screen.findByTestId('inside')).textContent).toContain('manager');
    expect(people.SignIn).toHaveBeenCalledWith('mgr.li', 'secret-password');
  });

  it('puts up the form on the first render when the page came with the sign-in state, asking nothing', () => {
    window.__COCKPIT_BOOT__ = { status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, auth: signedOut };
    try {
      render(<SignInGate demo={false}>{() => <div />}</SignInGate>);
      expect(screen.getByTestId('signin-form')).toBeTruthy();
      expect(people.State).not.toHaveBeenCalled();
    } finally {
      delete window.__COCKPIT_BOOT__;
    }
  });

  it('shows the backend refusal and stays on the form', async () => {
    people.SignIn.mockRejectedValueOnce('wrong username or password');
    render(<SignInGate demo={false}>{(s) => <div data-testid="inside">{s.signedIn ? 'signed in' : 'signed out'}</div>}</SignInGate>);
    fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'y' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    expect((await screen.findByTestId('signin-error')).textContent).toContain('wrong username or password');
    // Only the standby app (signed out, hidden) is there.
    const standby = await screen.findByTestId('app-standby');
    expect(standby.getAttribute('aria-hidden')).toBe('true');
    expect(within(standby).getByTestId('inside').textContent).toBe('signed out');
  });

  it('mounts the app signed out behind the form, keeps that tree on sign-in and gives the next session a fresh one', async () => {
    let mounts = 0;
    function Inside({ who }: { who: string }) {
      useEffect(() => void mounts++, []);
      return <div data-testid="inside">{who}</div>;
    }
    render(
      <SignInGate demo={false}>
        {(s, signOut) => (
          <>
            <Inside who={s.signedIn ? s.user!.username : 'signed out'} />
            <button onClick={signOut}>out</button>
          </>
        )}
      </SignInGate>,
    );
    const standby = await screen.findByTestId('app-standby');
    expect(standby.className).toBe('app-standby');
    expect(within(standby).getByTestId('inside').textContent).toBe('signed out');
    expect(mounts).toBe(1);

    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'mgr.li' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret-password' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    await waitFor(() => expect(screen.getByTestId('inside').textContent).toBe('mgr.li'));
    expect(screen.queryByTestId('app-standby')).toBeNull();
    expect(screen.queryByTestId('signin-gate')).toBeNull();
    expect(mounts).toBe(1); // the same tree, now signed in

    fireEvent.click(screen.getByText('out'));
    await screen.findByTestId('signin-form');
    await waitFor(() => expect(within(screen.getByTestId('app-standby')).getByTestId('inside').textContent).toBe('signed out'));
    expect(mounts).toBe(2); // nothing of the last session is kept
  });

  it('offers the admin setup on first run and the unlock form after an idle lock', async () => {
    people.State.mockResolvedValueOnce({ ...signedOut, needsSetup: true });
    const { unmount } = render(<SignInGate demo={false}>{() => <div />}</SignInGate>);
    expect(await screen.findByTestId('setup-form')).toBeTruthy();
    unmount();
    people.State.mockResolvedValueOnce({ ...signedOut, signedIn: true, locked: true, user });
    render(<SignInGate demo={false}>{() => <div data-testid="inside" />}</SignInGate>);
    expect((await screen.findByTestId('unlock-form')).textContent).toContain('李经理');
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret-password' } });
    fireEvent.submit(screen.getByTestId('unlock-form'));
    await waitFor(() => expect(people.Unlock).toHaveBeenCalledWith('secret-password'));
    expect(await screen.findByTestId('inside')).toBeTruthy();
  });
});
