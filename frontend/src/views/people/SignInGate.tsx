// The sign-in gate: once the workspace is open, nothing else renders until someone is signed in. It creates
// the admin on first run, signs in, and shows the unlock form after the backend's idle lock. The role it
// hands down only shapes the menu; the backend checks it on every call.
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
  const [state, setAnyState] = useState<AuthState>();
  // The same state arrives several times (the call's answer, then the session:changed event, then every
  // poll); keeping the old object spares the whole signed-in app a re-render each time.
  const setState = useCallback((next: AuthState) => setAnyState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next)), []);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    auth.state().then(setState, (e: unknown) => setError(errorText(e)));
  }, [setState]);
  useEffect(refresh, [refresh]);
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
  useEffect(() => {
    if (!signInForm) return;
    system.mark('signin-form');
    onFormShown?.();
  }, [signInForm, onFormShown]);

  if (!state) {
    return error ? <Alert type="error" showIcon message={error} /> : <Spin size="large" className="gate" />;
  }
  if (state.signedIn && !state.locked) return <>{children(state, signOut)}</>;

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
    <div className="gate" data-testid="signin-gate">
      <div className="gate-lang">
        <LangSwitch />
      </div>
      <Card title={title} style={{ width: 380 }}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="signin-error" />}
        {form}
      </Card>
    </div>
  );
}
