// Sources: the IMAP accounts with a status per folder (last sync, counts, last error), a progress bar fed by
// `sync:progress` while a sync runs, add/edit/remove/test for admins and managers, "sync now", and the
// quarantine of unreadable messages with a retry, the order-number patterns that link mail to cases
// (OrderPatternsCard). Helpdesk and letters sources follow (IntakeSources).
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Progress, Select, Space, Table, Tag, Tooltip, Typography, message } from 'antd';
import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  errorText, mail, subscribe, syncEvents, type AccountRequest, type ConnectionTest, type FolderRole, type FolderStatus, type MailAccount, type QuarantinedMail,
  type SyncProgress,
} from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';
import type { ViewProps } from '../registry';
import IntakeSources from '../imports/IntakeSources';
import OrderPatternsCard from './OrderPatternsCard';
import ConnectionTestResult from './ConnectionTestResult';
import { mailProviders, providerOfHost } from './providers';

type FormValues = Omit<AccountRequest, 'id'>;

const blank: FormValues = {
  name: '', enabled: true, password: '',
  account: { host: '', port: 993, security: 'tls', username: '' },
  folders: [{ name: 'INBOX', role: 'complaints' }],
};

// serverKey is what a connection test depends on, apart from the password, which the form never reads back:
// typing in the password field takes the test back instead (passwordEdited). The backend trims the host,
// not the user name.
function serverKey(a?: Partial<AccountRequest['account']>): string {
  return JSON.stringify([a?.host?.trim() ?? '', Number(a?.port) || 0, a?.security ?? '', !!a?.insecure, a?.username ?? '']);
}

export default function SourcesView(_: ViewProps) {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const canEdit = ws.role === 'admin' || ws.role === 'manager';
  const accounts = useAsync(() => mail.accounts(), []);
  const quarantine = useAsync(() => mail.quarantine(), []);
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  const [editing, setEditing] = useState<MailAccount | 'new'>();
  // The test's result with the server settings it was run with: once they change, it says nothing.
  const [tested, setTested] = useState<{ result: ConnectionTest; server: string; passwordEdited?: boolean }>();
  const [error, setError] = useState('');
  // A test may wait up to 30 s for a server that does not answer: the button says it is at work, and
  // neither button starts a second call meanwhile.
  const [busy, setBusy] = useState<'test' | 'save'>();
  const [form] = Form.useForm<FormValues>();
  const reloadAccounts = accounts.reload;
  const reloadQuarantine = quarantine.reload;
  useEffect(() => subscribe(['sources:changed'], () => {
    reloadAccounts();
    reloadQuarantine();
  }), [reloadAccounts, reloadQuarantine]);
  useEffect(() => syncEvents.onProgress((p) => setProgress((all) => ({ ...all, [`${p.source_id}/${p.folder}`]: p }))), []);

  const guard = async (fn: () => Promise<void>) => {
    setError('');
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const working = async (kind: 'test' | 'save', fn: () => Promise<void>) => {
    setBusy(kind);
    try {
      await guard(fn);
    } finally {
      setBusy(undefined);
    }
  };
  const request = (v: FormValues, id: number): AccountRequest => ({
    ...v, id, account: { ...v.account, port: Number(v.account.port) || 0 }, folders: v.folders ?? [],
  });
  const openForm = (a: MailAccount | 'new') => {
    setEditing(a);
    setTested(undefined);
    form.setFieldsValue(a === 'new' ? blank : {
      name: a.name, enabled: a.enabled, password: '', account: a.account,
      folders: (a.folders ?? []).map((f) => ({ name: f.name, role: f.role })),
    });
  };
  const editingId = editing && editing !== 'new' ? editing.id : 0;
  const formFolders = Form.useWatch('folders', form);
  const server = serverKey(Form.useWatch('account', form));
  const testStale = !!tested && (tested.server !== server || !!tested.passwordEdited);
  const provider = providerOfHost(Form.useWatch(['account', 'host'], form));
  const pickProvider = (key: string) => {
    const p = mailProviders.find((m) => m.key === key);
    if (!p) return; // "other": the user fills the settings in
    form.setFieldValue(['account', 'host'], p.host);
    form.setFieldValue(['account', 'port'], 993);
    form.setFieldValue(['account', 'security'], 'tls');
  };
  const addFolder = (name: string, role: FolderRole) => form.setFieldValue('folders', [...(form.getFieldValue('folders') ?? []), { name, role }]);
  const save = (v: FormValues) => working('save', async () => {
    if (editingId) {
      const marked = await mail.update(request(v, editingId));
      if (marked > 0) void message.warning(t('sources:regulatorMarked', { n: marked }), 8);
    } else await mail.add(request(v, 0));
    setEditing(undefined);
    reloadAccounts();
  });
  const test = () => working('test', async () => {
    const v = await form.validateFields();
    setTested(undefined);
    const res = await mail.test(request(v, editingId));
    setTested({ result: res, server: serverKey(v.account) });
    void message.success(t('sources:testOk', { n: res.folders.length }));
  });
  const [syncing, setSyncing] = useState<Record<number, boolean>>({});
  const runNow = (a: MailAccount) => guard(async () => {
    setSyncing((all) => ({ ...all, [a.id]: true }));
    const run = await mail.runNow(a.id).finally(() => setSyncing((all) => ({ ...all, [a.id]: false })));
    if (run.already_running) {
      void message.info(t('sources:alreadySyncing'));
      return;
    }
    const st = run.stats;
    void message.success(t('sources:synced', { ...st }) + (st.removed || st.flags_changed ? t('sources:serverChanges', { removed: st.removed ?? 0, flags: st.flags_changed ?? 0 }) : ''));
    reloadAccounts();
    reloadQuarantine();
  });
  const remove = (a: MailAccount) => guard(async () => {
    const deleted = await mail.remove(a.id);
    void message.info(deleted ? t('sources:removed') : t('sources:disabled'));
    reloadAccounts();
  });
  const retry = (q: QuarantinedMail) => guard(async () => {
    const out = await mail.retry(q.id);
    void message.info(t(`sources:retried.${out.status}`, { caseId: out.case_id }));
    reloadQuarantine();
  });

  const folderColumns = (a: MailAccount) => [
    { title: t('sources:folder'), dataIndex: 'name' },
    { title: t('sources:role'), dataIndex: 'role', render: (r: string) => <Tag color={r === 'regulator' ? 'red' : 'blue'}>{t(`sources:roles.${r}`)}</Tag> },
    { title: t('sources:messages'), dataIndex: 'message_count' },
    { title: t('sources:quarantined'), dataIndex: 'quarantined_count', render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
    { title: t('sources:duplicates'), dataIndex: 'duplicate_count' },
    { title: <Tooltip title={t('sources:removedWhy')}>{t('sources:removedInMailbox')}</Tooltip>, dataIndex: 'removed_count' },
    { title: t('sources:lastSync'), dataIndex: 'last_sync_at', render: (v: string) => formatTime(v, ws.zone) || t('sources:never') },
    {
      key: 'state', width: 220,
      render: (_: unknown, f: FolderStatus) => {
        const p = progress[`${a.id}/${f.name}`];
        if (p && p.phase === 'fetch' && p.total > 0 && p.done < p.total) {
          return <Progress size="small" status="active" percent={Math.round((100 * p.done) / p.total)} format={() => `${p.done}/${p.total}`} data-testid={`progress-${a.id}-${f.name}`} />;
        }
        return f.last_error ? <Typography.Text type="danger">{f.last_error}</Typography.Text> : null;
      },
    },
  ];

  return (
    <div style={{ padding: 16 }}>
      <Card title={t('sources:title')} size="small" data-testid="mail-accounts"
        extra={canEdit && <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => openForm('new')} data-testid="add-account">{t('sources:add')}</Button>}>
        {(error || accounts.error) && <Alert type="error" showIcon message={error || accounts.error} style={{ marginBottom: 12 }} data-testid="sources-error" />}
        <Table<MailAccount>
          rowKey="id" size="small" pagination={false} loading={accounts.loading} dataSource={accounts.data ?? []}
          locale={{ emptyText: t('sources:empty') }}
          expandable={{
            // The folders are the point of this page: always open, no toggle.
            expandedRowKeys: (accounts.data ?? []).map((a) => a.id),
            showExpandColumn: false,
            expandedRowRender: (a) => <Table<FolderStatus> rowKey="id" size="small" pagination={false} dataSource={a.folders ?? []} columns={folderColumns(a)} />,
          }}
          columns={[
            { title: t('sources:name'), dataIndex: 'name', render: (n: string, a) => <Space>{n}{!a.enabled && <Tag>{t('sources:enabled')}: ✗</Tag>}</Space> },
            { title: t('sources:server'), key: 'server', render: (_: unknown, a) => `${a.account.host}:${a.account.port} (${a.account.security})` },
            { title: t('sources:user'), key: 'user', render: (_: unknown, a) => a.account.username },
            { title: t('sources:lastSync'), dataIndex: 'lastRunAt', render: (v: string) => formatTime(v, ws.zone) || t('sources:never') },
            { title: t('sources:lastError'), dataIndex: 'lastError', render: (e: string) => e && <Typography.Text type="danger" data-testid="account-error">{e}</Typography.Text> },
            {
              key: 'actions', width: 280,
              render: (_: unknown, a) => (
                <Space>
                  <Button size="small" icon={<SyncOutlined spin={!!syncing[a.id]} />} disabled={!!syncing[a.id]} onClick={() => void runNow(a)} data-testid={`sync-${a.id}`}>{t('sources:runNow')}</Button>
                  {canEdit && <Button size="small" icon={<EditOutlined />} onClick={() => openForm(a)} data-testid={`edit-${a.id}`}>{t('sources:edit')}</Button>}
                  {canEdit && (
                    <Popconfirm title={t('sources:removeConfirm')} onConfirm={() => void remove(a)}>
                      <Button size="small" danger icon={<DeleteOutlined />} data-testid={`remove-${a.id}`}>{t('sources:remove')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
        {accounts.data?.[0] && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            {t('sources:passwordStored', { where: t(`sources:backends.${accounts.data[0].secretsBackend}`, { defaultValue: accounts.data[0].secretsBackend }) })}
          </Typography.Text>
        )}
      </Card>

      <Card title={t('sources:quarantine')} size="small" style={{ marginTop: 16 }} data-testid="quarantine">
        <Typography.Paragraph type="secondary">{t('sources:quarantineHelp')}</Typography.Paragraph>
        <Table<QuarantinedMail>
          rowKey="id" size="small" loading={quarantine.loading} dataSource={quarantine.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('sources:quarantineEmpty') }}
          columns={[
            { title: t('sources:folder'), dataIndex: 'folder' },
            { title: t('sources:uid'), dataIndex: 'uid' },
            { title: t('sources:size'), dataIndex: 'size' },
            { title: t('sources:error'), dataIndex: 'error', render: (e: string) => <Typography.Text type="danger">{e}</Typography.Text> },
            { title: t('sources:attempts'), dataIndex: 'attempts' },
            { title: t('sources:lastSync'), dataIndex: 'ingestedAt', render: (v: string) => formatTime(v, ws.zone) },
            { key: 'retry', render: (_: unknown, q) => <Button size="small" onClick={() => void retry(q)} data-testid={`retry-${q.id}`}>{t('sources:retry')}</Button> },
          ]}
        />
      </Card>

      <OrderPatternsCard canEdit={canEdit} />

      <IntakeSources />

      <Modal open={editing !== undefined} title={editingId ? t('sources:edit') : t('sources:add')} footer={null} onCancel={() => setEditing(undefined)} destroyOnHidden width={640}>
        <Form<FormValues>
          form={form} layout="vertical" onFinish={(v) => void save(v)} initialValues={blank}
          onValuesChange={(changed) => 'password' in changed && setTested((was) => was && { ...was, passwordEdited: true })}
        >
          <Form.Item name="name" label={t('sources:name')} rules={[{ required: true }]}><Input disabled={!!editingId} data-testid="f-name" /></Form.Item>
          <Form.Item label={t('sources:provider')}>
            <Select
              style={{ width: 260 }} data-testid="f-provider" value={provider?.key ?? ''} onChange={pickProvider}
              options={[...mailProviders.map((p) => ({ value: p.key, label: t(`sources:providers.${p.key}`) })), { value: '', label: t('sources:providerOther') }]}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name={['account', 'host']} label={t('sources:host')} rules={[{ required: true }]}><Input data-testid="f-host" /></Form.Item>
            <Form.Item name={['account', 'port']} label={t('sources:port')}><InputNumber min={1} max={65535} data-testid="f-port" /></Form.Item>
            <Form.Item name={['account', 'security']} label={t('sources:security')}>
              <Select style={{ width: 200 }} data-testid="f-security" options={(['tls', 'starttls', 'plain'] as const).map((s) => ({ value: s, label: t(`sources:securities.${s}`) }))} />
            </Form.Item>
          </Space>
          <Form.Item name={['account', 'insecure']} valuePropName="checked"><Checkbox>{t('sources:insecure')}</Checkbox></Form.Item>
          <Form.Item name={['account', 'username']} label={t('sources:user')} rules={[{ required: true }]}><Input autoComplete="off" data-testid="f-user" /></Form.Item>
          <Form.Item
            name="password" label={t('sources:password')} rules={editingId ? [] : [{ required: true }]}
            extra={[provider?.appPassword && t('sources:appPasswordHint'), editingId && t('sources:passwordKeep')].filter(Boolean).join(' ') || undefined}
          >
            <Input.Password autoComplete="new-password" data-testid="f-password" />
          </Form.Item>
          <Form.Item label={t('sources:folders')}>
            <Form.List name="folders">
              {(fields, { add, remove: drop }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}><Input placeholder={t('sources:folder')} /></Form.Item>
                      <Form.Item name={[f.name, 'role']}>
                        <Select style={{ width: 140 }} options={(['complaints', 'regulator'] as const).map((r) => ({ value: r, label: t(`sources:roles.${r}`) }))} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => drop(f.name)} />
                    </Space>
                  ))}
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({ name: '', role: 'complaints' })}>{t('sources:addFolder')}</Button>
                </>
              )}
            </Form.List>
          </Form.Item>
          <Form.Item name="enabled" valuePropName="checked"><Checkbox>{t('sources:enabled')}</Checkbox></Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
          {tested && !testStale && <ConnectionTestResult result={tested.result} folders={formFolders ?? []} onAdd={addFolder} />}
          {tested && testStale && <Alert type="warning" showIcon message={t('sources:testStale')} style={{ marginBottom: 12 }} data-testid="test-stale" />}
          <Space>
            <Button onClick={() => void test()} loading={busy === 'test'} disabled={busy === 'save'} data-testid="f-test">{t('sources:test')}</Button>
            <Button type="primary" htmlType="submit" loading={busy === 'save'} disabled={busy === 'test'} data-testid="f-save">{t('common.save')}</Button>
          </Space>
        </Form>
      </Modal>
    </div>
  );
}
