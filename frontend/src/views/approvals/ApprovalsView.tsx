// The manager's approval queue, every request with its execution status, the approval matrix (edited by an
// admin) and budgets. Buttons only appear where the backend would allow the action, and the backend checks
// again: the queue says per request whether you may decide it and why not.
import { useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Typography, message } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  approvals, compTypes, errorText, executionsFor, formatYuan, parseYuan, subscribe,
  type ApprovalRule, type Budget, type BudgetInput, type CompRequest, type Execution, type QueueItem,
} from '../../api';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import { formatTime } from '../../shell/format';
import { navigate } from '../../shell/route';
import type { Role, ViewProps } from '../registry';
import { Amount, Decisions, StatusTag } from './parts';

export default function ApprovalsView(_: ViewProps) {
  const { t } = useTranslation();
  return (
    <div data-testid="approvals-view">
      <Tabs
        items={[
          { key: 'queue', label: t('approvals:tab.queue'), children: <Queue /> },
          { key: 'all', label: t('approvals:tab.all'), children: <AllRequests /> },
          { key: 'matrix', label: t('approvals:tab.matrix'), children: <Matrix /> },
          { key: 'budgets', label: t('approvals:tab.budgets'), children: <Budgets /> },
        ]}
      />
    </div>
  );
}

function useSaver(reload: () => void) {
  const [error, setError] = useState('');
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setError('');
    try {
      await fn();
      reload();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  return { error, run };
}

function Queue() {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const q = useAsync(() => approvals.queue(), []);
  useEffect(() => subscribe(['compensation:changed'], q.reload), [q.reload]);
  const { error, run } = useSaver(q.reload);
  const [rejecting, setRejecting] = useState<QueueItem>();
  const [reason, setReason] = useState('');
  return (
    <>
      {(error || q.error) && <Alert type="error" showIcon message={error || q.error} style={{ marginBottom: 12 }} data-testid="queue-error" />}
      <Table<QueueItem>
        rowKey="id"
        size="small"
        loading={q.loading}
        dataSource={q.data ?? []}
        locale={{ emptyText: <Empty description={t('approvals:empty')} /> }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('approvals:col.id'), dataIndex: 'id', width: 64 },
          { title: t('approvals:col.case'), render: (_, r) => <Typography.Link onClick={() => navigate('case', r.caseId)}>#{r.caseId} {r.caseTitle}</Typography.Link> },
          { title: t('approvals:col.type'), render: (_, r) => t(`approvals:type.${r.type}`) },
          { title: t('approvals:col.amount'), align: 'right', render: (_, r) => <Amount fen={r.amountFen} /> },
          { title: t('approvals:col.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('approvals:col.requester'), dataIndex: 'requester' },
          { title: t('approvals:col.requested'), render: (_, r) => formatTime(r.requestedAt, ws.zone) },
          { title: t('approvals:col.status'), render: (_, r) => <Space direction="vertical" size={0}><StatusTag r={r} /><Decisions list={r.decisions} zone={ws.zone} /></Space> },
          {
            title: t('approvals:col.actions'),
            render: (_, r) => r.canDecide ? (
              <Space>
                <Button type="primary" size="small" onClick={() => void run(() => approvals.decide(r.id, 'approve', ''))} data-testid={`approve-${r.id}`}>{t('approvals:approve')}</Button>
                <Button danger size="small" onClick={() => { setRejecting(r); setReason(''); }} data-testid={`reject-${r.id}`}>{t('approvals:reject')}</Button>
              </Space>
            ) : <Typography.Text type="secondary">{t(`approvals:cannot.${r.why}`, { defaultValue: r.why })}</Typography.Text>,
          },
        ]}
      />
      <Modal
        open={!!rejecting}
        title={t('approvals:rejectTitle', { id: rejecting?.id })}
        okText={t('approvals:reject')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        onCancel={() => setRejecting(undefined)}
        onOk={async () => { if (rejecting && await run(() => approvals.decide(rejecting.id, 'reject', reason))) setRejecting(undefined); }}
      >
        <Typography.Paragraph>{t('approvals:rejectReason')}</Typography.Paragraph>
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reject-reason" />
      </Modal>
    </>
  );
}

function AllRequests() {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const [status, setStatus] = useState<CompRequest['status'] | ''>('');
  const list = useAsync(() => approvals.list(status), [status]);
  useEffect(() => subscribe(['compensation:changed'], list.reload), [list.reload]);
  const { error, run } = useSaver(list.reload);
  const [executing, setExecuting] = useState<CompRequest>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const canExecute = ws.role === 'supervisor' || ws.role === 'manager';
  const exportCSV = async () => {
    const from = range?.[0]?.format('YYYY-MM-DD') ?? '';
    const to = range?.[1]?.format('YYYY-MM-DD') ?? '';
    await run(async () => {
      const text = await approvals.exportCSV(from, to);
      const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `compensation-${from || 'all'}-${to || 'now'}.csv`;
      a.click();
      URL.revokeObjectURL(url);
      void message.success(t('approvals:exported', { n: Math.max(0, text.trim().split('\n').length - 1) }));
    });
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select<CompRequest['status'] | ''> value={status} style={{ width: 160 }} onChange={setStatus}
          options={[{ value: '', label: '—' }, ...(['pending', 'approved', 'rejected', 'cancelled'] as const).map((s) => ({ value: s, label: t(`approvals:status.${s}`) }))]} />
        {ws.role === 'manager' && (
          <>
            <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={[t('approvals:exportFrom'), t('approvals:exportTo')]} />
            <Button onClick={() => void exportCSV()} data-testid="export-csv">{t('approvals:export')}</Button>
          </>
        )}
      </Space>
      {(error || list.error) && <Alert type="error" showIcon message={error || list.error} style={{ marginBottom: 12 }} />}
      <Table<CompRequest>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('approvals:col.id'), dataIndex: 'id', width: 64 },
          { title: t('approvals:col.case'), render: (_, r) => <Typography.Link onClick={() => navigate('case', r.caseId)}>#{r.caseId}</Typography.Link> },
          { title: t('approvals:col.type'), render: (_, r) => t(`approvals:type.${r.type}`) },
          { title: t('approvals:col.amount'), align: 'right', render: (_, r) => <Amount fen={r.amountFen} /> },
          { title: t('approvals:col.requester'), dataIndex: 'requester' },
          { title: t('approvals:col.status'), render: (_, r) => <StatusTag r={r} /> },
          { title: t('approvals:col.decisions'), render: (_, r) => <Decisions list={r.decisions} zone={ws.zone} /> },
          {
            title: t('approvals:col.execution'),
            render: (_, r) => r.status === 'approved' && canExecute
              ? <Button size="small" onClick={() => setExecuting(r)}>{t('approvals:setExecution')}</Button>
              : r.execRef,
          },
        ]}
      />
      <ExecutionDialog r={executing} onClose={() => setExecuting(undefined)} run={run} />
    </>
  );
}

function ExecutionDialog({ r, onClose, run }: { r?: CompRequest; onClose: () => void; run: (fn: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [exec, setExec] = useState<Execution>('');
  const [ref, setRef] = useState('');
  useEffect(() => {
    setExec(r ? executionsFor[r.type][0] : '');
    setRef(r?.execRef ?? '');
  }, [r]);
  return (
    <Modal open={!!r} title={`${t('approvals:setExecution')} #${r?.id ?? ''}`} onCancel={onClose}
      onOk={async () => { if (r && await run(() => approvals.setExecution(r.id, exec, ref))) onClose(); }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select value={exec} onChange={setExec} style={{ width: '100%' }}
          options={(r ? executionsFor[r.type] : []).map((e) => ({ value: e, label: t(`approvals:execution.${e}`) }))} />
        <Input placeholder={t('approvals:execRef')} value={ref} onChange={(e) => setRef(e.target.value)} />
      </Space>
    </Modal>
  );
}

interface RuleRow extends ApprovalRule {
  key: number;
}

function Matrix() {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const isAdmin = ws.role === 'admin';
  const rules = useAsync(() => approvals.rules(), []);
  const { error, run } = useSaver(rules.reload);
  const [rows, setRows] = useState<RuleRow[]>([]);
  useEffect(() => setRows((rules.data ?? []).map((r, i) => ({ ...r, key: i }))), [rules.data]);
  const edit = (key: number, patch: Partial<ApprovalRule>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const roles: Role[] = ['supervisor', 'legal', 'manager', 'admin'];
  const escalate = useAsync(() => approvals.escalateAfterMinutes(), []);
  const [hours, setHours] = useState<number | null>(null);
  useEffect(() => setHours(escalate.data === undefined ? null : escalate.data / 60), [escalate.data]);
  return (
    <>
      <Typography.Paragraph type="secondary">{t('approvals:matrix.hint')} {!isAdmin && t('approvals:matrix.adminOnly')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{t('approvals:matrix.escalate')}</Typography.Text>
        <InputNumber min={1 / 6} max={336} step={0.5} value={hours} disabled={!isAdmin} onChange={(v) => setHours(v)} data-testid="escalate-hours" />
        {isAdmin && (
          <Button disabled={hours === null} onClick={() => void run(() => approvals.setEscalateAfterMinutes(Math.round((hours ?? 0) * 60)).then(escalate.reload))}>
            {t('approvals:matrix.saveEscalate')}
          </Button>
        )}
      </Space>
      {(error || rules.error) && <Alert type="error" showIcon message={error || rules.error} style={{ marginBottom: 12 }} />}
      <Table<RuleRow>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: t('approvals:matrix.type'),
            render: (_, r) => (
              <Select disabled={!isAdmin} value={r.type} style={{ width: 180 }} onChange={(v) => edit(r.key, { type: v })}
                options={[{ value: '', label: t('approvals:type.any') }, ...compTypes.map((c) => ({ value: c, label: t(`approvals:type.${c}`) }))]} />
            ),
          },
          {
            title: t('approvals:matrix.role'),
            render: (_, r) => <Select disabled={!isAdmin} value={r.role} style={{ width: 140 }} onChange={(v) => edit(r.key, { role: v })}
              options={roles.map((x) => ({ value: x, label: t(`people:role.${x}`) }))} />,
          },
          {
            title: t('approvals:matrix.max'),
            render: (_, r) => (
              <Input disabled={!isAdmin} defaultValue={formatYuan(r.maxFen)} style={{ width: 140 }}
                onBlur={(e) => { const fen = parseYuan(e.target.value); if (!Number.isNaN(fen)) edit(r.key, { maxFen: fen }); }} />
            ),
          },
          {
            title: t('approvals:matrix.approvers'),
            render: (_, r) => <InputNumber disabled={!isAdmin} min={1} max={5} value={r.approvers} onChange={(v) => edit(r.key, { approvers: Number(v ?? 1) })} />,
          },
          ...(isAdmin ? [{ key: 'del', render: (_: unknown, r: RuleRow) => <Button size="small" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>✕</Button> }] : []),
        ]}
      />
      {isAdmin && (
        <Space style={{ marginTop: 12 }}>
          <Button onClick={() => setRows((rs) => [...rs, { key: Date.now(), id: 0, type: '', role: 'manager', maxFen: 0, approvers: 1 }])}>{t('approvals:matrix.add')}</Button>
          <Button type="primary" onClick={() => void run(() => approvals.setRules(rows.map(({ key: _k, ...r }) => r)))} data-testid="save-matrix">{t('approvals:matrix.save')}</Button>
        </Space>
      )}
    </>
  );
}

function Budgets() {
  const { t } = useTranslation();
  const ws = useWorkspace();
  const canEdit = ws.role === 'admin' || ws.role === 'manager';
  const list = useAsync(() => approvals.budgets(), []);
  useEffect(() => subscribe(['compensation:changed'], list.reload), [list.reload]);
  const { error, run } = useSaver(list.reload);
  const [adding, setAdding] = useState(false);
  return (
    <>
      {canEdit && <Button style={{ marginBottom: 12 }} onClick={() => setAdding(true)}>{t('approvals:budget.add')}</Button>}
      {(error || list.error) && <Alert type="error" showIcon message={error || list.error} style={{ marginBottom: 12 }} />}
      <Table<Budget>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.loading}
        dataSource={list.data ?? []}
        columns={[
          { title: t('approvals:budget.scope'), render: (_, b) => t(`approvals:budget.${b.scope}`) },
          { title: t('approvals:budget.key'), dataIndex: 'key' },
          { title: t('approvals:budget.from'), render: (_, b) => formatTime(b.startsAt, ws.zone, 'YYYY-MM-DD') },
          { title: t('approvals:budget.to'), render: (_, b) => formatTime(b.endsAt, ws.zone, 'YYYY-MM-DD HH:mm') },
          { title: t('approvals:budget.limit'), align: 'right', render: (_, b) => <Amount fen={b.limitFen} /> },
          { title: t('approvals:budget.spent'), align: 'right', render: (_, b) => <Amount fen={b.spentFen} /> },
          { title: t('approvals:budget.left'), align: 'right', render: (_, b) => <Typography.Text type={b.limitFen - b.spentFen <= 0 ? 'danger' : undefined}>{formatYuan(b.limitFen - b.spentFen)}</Typography.Text> },
          ...(canEdit ? [{ key: 'del', render: (_: unknown, b: Budget) => <Button size="small" onClick={() => void run(() => approvals.deleteBudget(b.id))}>{t('approvals:budget.delete')}</Button> }] : []),
        ]}
      />
      <Modal open={adding} title={t('approvals:budget.add')} footer={null} onCancel={() => setAdding(false)} destroyOnClose>
        <Form<BudgetInput> layout="vertical" initialValues={{ scope: 'manager' }}
          onFinish={async (v) => { if (await run(() => approvals.setBudget(v))) setAdding(false); }}>
          <Form.Item name="scope" label={t('approvals:budget.scope')}>
            <Select options={[{ value: 'shift', label: t('approvals:budget.shift') }, { value: 'manager', label: t('approvals:budget.manager') }]} />
          </Form.Item>
          <Form.Item name="key" label={t('approvals:budget.key')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="from" label={t('approvals:budget.from')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}><Input placeholder="2026-12-01" /></Form.Item>
          <Form.Item name="to" label={t('approvals:budget.to')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}><Input placeholder="2026-12-31" /></Form.Item>
          <Form.Item name="limit" label={t('approvals:budget.limit')}
            rules={[{ required: true, validator: (_, v: string) => (Number.isNaN(parseYuan(v ?? '')) ? Promise.reject(new Error(t('approvals:badAmount'))) : Promise.resolve()) }]}>
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>{t('approvals:budget.add')}</Button>
        </Form>
      </Modal>
    </>
  );
}
