// The shell: status gate until the workspace is open, then header + side menu (from the view registry) + view.
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Button, ConfigProvider, Layout, Menu, Spin, Tag, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { errorText, subscribe, system, type Status } from './api';
import { defaultView, hotkeys, preloadStartView, views, visibleViews } from './views/registry';
import { useGoKeys } from './shell/goKeys';
import { navigate, useRoute } from './shell/route';
import StatusGate from './shell/StatusGate';
import LangSwitch from './shell/LangSwitch';
import { WorkspaceContext, type Workspace } from './shell/workspace';
import { DEFAULT_ZONE } from './shell/format';
import theme from './shell/theme.json'; // also read by scripts/antd-startup-css.cjs
import SignInGate from './views/people/SignInGate';
import HandoverWatch from './views/shift/HandoverWatch';

export default function App() {
  const { t, i18n } = useTranslation();
  // Usually the page comes with the status (api/early.ts): then the first render is already the sign-in form.
  const [status, setStatus] = useState<Status | undefined>(system.served);
  const [loadError, setLoadError] = useState('');
  const route = useRoute(defaultView);
  useGoKeys(hotkeys, navigate);

  const check = useCallback(() => {
    setLoadError('');
    system.status().then(setStatus, (e: unknown) => setLoadError(errorText(e)));
  }, []);
  useEffect(() => {
    system.forgetServed();
    if (!status) check();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [check]);
  // Opening the demo (or another workspace) from the CLI side re-announces the status.
  useEffect(() => subscribe(['workspace:opened', 'workspace:closed'], check), [check]);

  const base = useMemo<Workspace>(
    () => ({ status: status!, zone: status?.zone || DEFAULT_ZONE, role: undefined }),
    [status],
  );
  const current = views.find((v) => v.key === route.view) ?? views.find((v) => v.key === defaultView)!;
  const View = current.component;

  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={theme}>
      {!status?.open ? (
        <StatusGate status={status} loadError={loadError} onStatus={setStatus} onRetry={check} />
      ) : (
        <SignInGate demo={status.demo} onFormShown={preloadStartView}>
          {(auth, signOut) => {
            // Signed out, this is the standby app behind the sign-in form: only a view that can wait for a
            // user (the start view) is mounted, and nothing runs that needs one.
            const signedIn = auth.signedIn && !!auth.user;
            const workspace: Workspace = { ...base, role: auth.user?.role, user: signedIn ? auth.user! : undefined };
            const menu = visibleViews(workspace.role);
            return (
        <WorkspaceContext.Provider value={workspace}>
          {signedIn && <HandoverWatch />}
          <ShellMark />
          <Layout className="shell">
            <Layout.Header className="shell-header">
              <Typography.Title level={4} className="shell-title">
                {t('app.name')}
              </Typography.Title>
              {status.demo && <Tag color="purple">{t('status.demo')}</Tag>}
              <span className="shell-spacer" />
              <Typography.Text type="secondary" className="shell-dir" title={status.dataDir}>
                {status.dataDir}
              </Typography.Text>
              <Typography.Text data-testid="signed-in-as">
                {auth.user?.displayName || auth.user?.username} · {t(`people:role.${auth.user?.role ?? 'supervisor'}`)}
              </Typography.Text>
              <Button size="small" onClick={signOut} data-testid="sign-out">
                {t('people:signIn.signOut')}
              </Button>
              <LangSwitch />
            </Layout.Header>
            <Layout>
              <Layout.Sider width={176} theme="light" breakpoint="lg" collapsedWidth={56}>
                <Menu
                  mode="inline"
                  selectedKeys={[current.menu === false ? defaultView : current.key]}
                  items={menu.map((v) => ({ key: v.key, icon: v.icon, label: t(v.label) }))}
                  onClick={({ key }) => navigate(key)}
                />
              </Layout.Sider>
              <Layout.Content className="shell-content">
                <Suspense fallback={<Spin size="large" className="gate" />}>
                  {(signedIn || current.standby) && <View key={current.key} param={route.param} />}
                </Suspense>
              </Layout.Content>
            </Layout>
          </Layout>
        </WorkspaceContext.Provider>
            );
          }}
        </SignInGate>
      )}
    </ConfigProvider>
  );
}

/** Tells `make bench-board` when the shell has mounted: behind the sign-in form, see SignInGate. */
function ShellMark() {
  useEffect(() => system.mark('shell'), []);
  return null;
}
