// Helpdesk (RT) sources, letters folders and the file-import source with their status: last run, counts,
// last error, a "run now" button with a progress bar fed by `sync:progress`, and the form to add an RT
// source (token sent once, kept in the secrets store). Shown in the Sources view beside the IMAP accounts.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Progress, Select, Space, Table, Tag, Typography, message } from 'antd';
import { PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText, helpdesk, subscribe, syncEvents, type SourceStatus, type SyncProgress } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';

interface RTForm {
  name: string;
  base_url: string;
  queues: string[];
  filter: string;
  token: string;
}

export default function IntakeSources() {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const canAdd = ws.role === 'admin' || ws.role === 'manager';
  const list = useAsync(() => helpdesk.list(), []);
  const [running, setRunning] = useState<Record<number, SyncProgress | null>>({});
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  const [form] = Form.useForm<RTForm>();
  const { reload } = list;
  useEffect(() => subscribe(['sources:changed', 'letters:changed', 'imports:changed'], reload), [reload]);
  useEffect(() => syncEvents.onProgress((p) => setRunning((r) => (p.source_id in r ? { ...r, [p.source_id]: p } : r))), []);

  const runNow = async (s: SourceStatus) => {
    setError('');
    setRunning((r) => ({ ...r, [s.id]: null }));
    try {
      await helpdesk.runNow(s.id);
    } catch (e) {
      setError(`${s.name}: ${errorText(e)}`);
    } finally {
      setRunning(({ [s.id]: _, ...rest }) => rest);
      reload();
    }
  };
  const settingsOf = (v: RTForm) => ({ base_url: v.base_url, queues: v.queues ?? [], filter: v.filter ?? '' });
  const test = async () => {
    const v = await form.validateFields();
    try {
      void message.success(t('imports:sources.reachable', { version: await helpdesk.testRT(v.name, settingsOf(v), v.token) }));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const add = async (v: RTForm) => {
    setError('');
    try {
      await helpdesk.addRT(v.name, settingsOf(v), v.token);
      setAdding(false);
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Card size="small" title={t('imports:sources.title')} style={{ marginTop: 24 }} data-testid="intake-sources"
      extra={canAdd && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-rt">{t('imports:sources.addRT')}</Button>}>
      {(error || list.error) && <Alert type="error" showIcon message={error || list.error} style={{ marginBottom: 12 }} />}
      <Table<SourceStatus>
        rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.data ?? []}
        columns={[
          { title: t('imports:sources.name'), dataIndex: 'name' },
          { title: t('imports:sources.kind'), dataIndex: 'kind', render: (k: SourceStatus['kind']) => <Tag>{t(`imports:sources.kinds.${k}`)}</Tag> },
          { title: t('imports:sources.lastRun'), dataIndex: 'last_run_at', render: (v: string) => formatTime(v, ws.zone) || '-' },
          {
            title: t('imports:sources.counts'), dataIndex: 'counts',
            render: (c: Record<string, number>) => Object.entries(c).map(([k, n]) => <Tag key={k}>{t(`imports:sources.count.${k}`, { defaultValue: k })} {n}</Tag>),
          },
          { title: t('imports:sources.error'), dataIndex: 'last_error', render: (e: string) => e && <Typography.Text type="danger">{e}</Typography.Text> },
          {
            key: 'run', width: 220,
            render: (_: unknown, s) => {
              if (s.kind === 'import') return null;
              if (s.id in running) {
                const p = running[s.id];
                const pct = p && p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
                return <Progress percent={p?.phase === 'done' ? 100 : pct} status="active" size="small" data-testid={`progress-${s.id}`} />;
              }
              return <Button size="small" icon={<SyncOutlined />} onClick={() => void runNow(s)} data-testid={`run-${s.id}`}>{t('imports:sources.runNow')}</Button>;
            },
          },
        ]}
      />
      <Modal open={adding} title={t('imports:sources.addRT')} footer={null} onCancel={() => setAdding(false)} destroyOnHidden>
        <Form<RTForm> form={form} layout="vertical" onFinish={(v) => void add(v)} initialValues={{ queues: ['General'] }}>
          <Form.Item name="name" label={t('imports:sources.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="base_url" label={t('imports:sources.url')} rules={[{ required: true }]}><Input placeholder="https://rt.example.com/rt" /></Form.Item>
          <Form.Item name="queues" label={t('imports:sources.queues')}><Select mode="tags" /></Form.Item>
          <Form.Item name="filter" label={t('imports:sources.filter')} extra={t('imports:sources.filterHelp')}><Input placeholder="Priority >= 50" /></Form.Item>
          <Form.Item name="token" label={t('imports:sources.token')} extra={t('imports:sources.tokenHelp')} rules={[{ required: true }]}>
            <Input.Password autoComplete="off" />
          </Form.Item>
          <Space>
            <Button onClick={() => void test()}>{t('imports:sources.test')}</Button>
            <Button type="primary" htmlType="submit">{t('common.save')}</Button>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
