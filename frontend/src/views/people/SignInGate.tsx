// The sign-in gate: once the workspace is open, nothing else is shown until someone is signed in. It creates
// the admin on first run, signs in, and shows the unlock form after the backend's idle lock. The role it
// hands down only shapes the menu; the backend checks it on every call.
//
// While the sign-in form waits for a password, the app is already mounted behind it, hidden and signed out
// ("standby"): mounting the shell and the start view took a fifth of a second between the password check and
// the first board, and the time a person spends typing is free. A standby app loads no data (it has no user)
// and is never seen; signing in shows the same tree, which then loads. Signing out or an idle lock throws the
// tree away, so nothing of one person's session is kept for the next.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { auth, errorText, subscribe, system, type AuthState } from '../../api';
import LangSwitch from '../../shell/LangSwitch';

interface Props {
  demo: boolean;
  /** Called when the sign-in form is on screen: the time a person spends typing is free for loading. */
  onFormShown?: () => void;
  /** The app: called with the signed-in state, or (standby, behind the sign-in form) a signed-out one. */
  children: (state: AuthState, signOut: () => void) => ReactNode;
}

interface Creds {
  username: string;
  displayName?: string;
  password: string;
}

/** How often the gate re-reads the state so that an idle lock shows without a click. */
const POLL_MS = 30_000;

export default function SignInGate({ demo, onFormShown, children }: Props) {
  const { t } = useTranslation();
  const [state, setAnyState] = useState<AuthState | undefined>(auth.served);
  // The same state arrives several times (the call's answer, then the session:changed event, then every
  // poll); keeping the old object spares the whole signed-in app a re-render each time.
  const setState = useCallback((next: AuthState) => setAnyState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next)), []);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    auth.state().then(setState, (e: unknown) => setError(errorText(e)));
  }, [setState]);
  useEffect(() => {
    if (!state) refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refresh]);
  useEffect(() => subscribe(['session:changed'], refresh, 100), [refresh]);
  useEffect(() => {
    const id = setInterval(refresh, POLL_MS);
    // A call refused with the idle-lock error means the lock already happened; show it now.
    const onRejection = (ev: PromiseRejectionEvent) => {
      if (/session locked|not signed in/i.test(errorText(ev.reason))) refresh();
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => {
      clearInterval(id);
      window.removeEventListener('unhandledrejection', onRejection);
    };
  }, [refresh]);

  const act = async (fn: () => Promise<AuthState>) => {
    setBusy(true);
    setError('');
    try {
      setState(await fn());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const signOut = () => void act(auth.signOut);
  // The sign-in form is the first screen a user meets: `make bench-board` times it (and types into it).
  const signInForm = !!state && !state.needsSetup && !state.signedIn;
  const live = !!state?.signedIn && !state.locked;
  // Each end of a session gives the app tree a new key: the next one starts from nothing.
  const [session, setSession] = useState({ live, key: 0 });
  const [standby, setStandby] = useState(false);
  if (session.live !== live) {
    setSession({ live, key: live ? session.key : session.key + 1 });
    setStandby(false);
  }
  useEffect(() => {
    if (!signInForm) return undefined;
    system.mark('signin-form');
    onFormShown?.();
    // Mount the standby app once the form has been painted, so that it does not delay the form.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setStandby(true))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [signInForm, onFormShown]);

  if (!state) {
    return error ? <Alert type="error" showIcon message={error} /> : <Spin size="large" className="gate" />;
  }
  // One element in one place whether standby or live, so that signing in keeps the mounted tree.
  const app = live || (signInForm && standby) ? (
    <div key={session.key} className={live ? undefined : 'app-standby'} aria-hidden={!live || undefined} data-testid={live ? undefined : 'app-standby'}>
      {children(state, signOut)}
    </div>
  ) : null;
  if (live) return <>{app}{null}</>;

  let title = t('people:signIn.title');
  let form: ReactNode;
  if (state.needsSetup) {
    title = t('people:signIn.setupTitle');
    form = (
      <Form<Creds> layout="vertical" onFinish={(v) => void act(() => auth.setup({ ...v, displayName: v.displayName ?? '', role: 'admin' }))} data-testid="setup-form">
        <Typography.Paragraph type="secondary">{t('people:signIn.setupHint')}</Typography.Paragraph>
        <Form.Item name="username" label={t('people:signIn.username')} rules={[{ required: true, message: t('people:signIn.required') }]}>
          <Input prefix={<UserOutlined />} autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('people:signIn.displayName')}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('people:signIn.password')} extra={t('people:signIn.passwordHint')}
          rules={[{ required: true, min: 10, message: t('people:signIn.passwordHint') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>{t('people:signIn.create')}</Button>
      </Form>
    );
  } else if (state.locked && state.user) {
    const user = state.user;
    title = t('people:signIn.unlockTitle');
    form = (
      <Form<{ password: string }> layout="vertical" onFinish={(v) => void act(() => auth.unlock(v.password))} data-testid="unlock-form">
        <Typography.Paragraph>{t('people:signIn.unlockHint', { name: user.displayName || user.username, n: state.idleMinutes })}</Typography.Paragraph>
        <Form.Item name="password" label={t('people:signIn.password')} rules={[{ required: true, message: t('people:signIn.required') }]}>
          <Input.Password prefix={<LockOutlined />} autoFocus autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>{t('people:signIn.unlock')}</Button>
        <Button type="link" block onClick={signOut}>{t('people:signIn.switchUser')}</Button>
      </Form>
    );
  } else {
    form = (
      <Form<Creds> layout="vertical" onFinish={(v) => void act(() => auth.signIn(v.username, v.password))} data-testid="signin-form">
        <Form.Item name="username" label={t('people:signIn.username')} rules={[{ required: true, message: t('people:signIn.required') }]}>
          <Input prefix={<UserOutlined />} autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('people:signIn.password')} rules={[{ required: true, message: t('people:signIn.required') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="signin-submit">{t('people:signIn.submit')}</Button>
        {demo && <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('people:signIn.demoHint')}</Typography.Paragraph>}
      </Form>
    );
  }
  return (
    <>
      {app}
    <div className="gate" data-testid="signin-gate">
      <div className="gate-lang">
        <LangSwitch />
      </div>
      <Card title={title} style={{ width: 380 }}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="signin-error" />}
        {form}
      </Card>
    </div>
    </>
  );
}
