// Shift view: my cases (with bulk reassignment), the roster, "hand over my shift" (generated sheet, notes,
// outgoing sign-off), incoming handovers to acknowledge, and the handover history.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Empty, Input, Modal, Select, Space, Table, Tabs, Tag, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { errorText, isSet, shifts, subscribe, type CaseSummary, type Sheet, type Shift } from '../../api';
import { formatTime } from '../../shell/format';
import { navigate } from '../../shell/route';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import SheetItems from './SheetItems';

const EVENTS = ['handover:signed', 'handover:acknowledged', 'handover:escalated', 'roster:changed', 'board:changed', 'case:moved'];

export function sheetState(s: Sheet): 'draft' | 'signed' | 'acknowledged' | 'escalated' {
  if (isSet(s.acknowledged_at)) return 'acknowledged';
  if (isSet(s.escalated_at)) return 'escalated';
  if (isSet(s.signed_at)) return 'signed';
  return 'draft';
}
const STATE_COLOR = { draft: 'default', signed: 'blue', acknowledged: 'green', escalated: 'red' } as const;

/** distinct supervisors on the roster other than me: whom I can hand over or reassign to. */
export function colleagues(roster: Shift[], meId: number | undefined): { id: number; name: string }[] {
  const m = new Map<number, string>();
  for (const s of roster) if (s.supervisor_id !== meId) m.set(s.supervisor_id, s.supervisor);
  return [...m].map(([id, name]) => ({ id, name }));
}

export default function ShiftView() {
  const { t } = useTranslation();
  const { zone, user } = useWorkspace();
  const me = user?.id;
  const [from, to] = useMemo(() => [dayjs().subtract(12, 'hour').toISOString(), dayjs().add(48, 'hour').toISOString()], []);
  const roster = useAsync(() => shifts.roster(from, to), [from, to]);
  const mine = useAsync(() => shifts.myCases(), []);
  const history = useAsync(() => shifts.history(100), []);
  useEffect(() => subscribe(EVENTS, () => { roster.reload(); mine.reload(); history.reload(); }), [roster.reload, mine.reload, history.reload]); // eslint-disable-line react-hooks/exhaustive-deps

  const people = useMemo(() => colleagues(roster.data ?? [], me), [roster.data, me]);
  const incoming = (history.data ?? []).filter((s) => s.incoming_id === me && sheetState(s) !== 'acknowledged' && isSet(s.signed_at));
  const ts = (v: string | undefined) => (isSet(v) ? formatTime(v, zone) : '—');

  return (
    <div className="shift-view" data-testid="shift-view">
      <Tabs
        defaultActiveKey={incoming.length > 0 ? 'incoming' : 'mine'}
        items={[
          { key: 'mine', label: t('shift:tab.mine', { n: mine.data?.length ?? 0 }), children: <MyCases list={mine.data ?? []} loading={mine.loading} error={mine.error} people={people} onDone={mine.reload} /> },
          { key: 'handover', label: t('shift:tab.handover'), children: <Handover people={people} onDone={history.reload} /> },
          {
            key: 'incoming',
            label: <Badge count={incoming.length} size="small" offset={[8, 0]}>{t('shift:tab.incoming')}</Badge>,
            children: incoming.length === 0 ? <Empty description={t('shift:noIncoming')} /> : incoming.map((s) => <Incoming key={s.id} sheet={s} onDone={history.reload} />),
          },
          {
            key: 'roster',
            label: t('shift:tab.roster'),
            children: (
              <Table<Shift> size="small" rowKey="id" loading={roster.loading} dataSource={roster.data ?? []} pagination={false}
                locale={{ emptyText: roster.error || t('shift:noRoster') }}
                rowClassName={(s) => (s.supervisor_id === me ? 'row-me' : '')}
                columns={[
                  { title: t('shift:name'), dataIndex: 'name' },
                  { title: t('shift:starts'), render: (_, s) => formatTime(s.starts_at, zone) },
                  { title: t('shift:ends'), render: (_, s) => formatTime(s.ends_at, zone) },
                  { title: t('shift:supervisor'), dataIndex: 'supervisor' },
                  { title: t('shift:manager'), dataIndex: 'manager' },
                ]} />
            ),
          },
          {
            key: 'history',
            label: t('shift:tab.history'),
            children: (
              <Table<Sheet> size="small" rowKey="id" loading={history.loading} dataSource={history.data ?? []} data-testid="handover-history"
                locale={{ emptyText: history.error || t('shift:noHistory') }}
                expandable={{ expandedRowRender: (s) => <><Typography.Paragraph>{s.notes}</Typography.Paragraph><SheetItems items={s.items ?? []} />{s.ack_note && <Typography.Paragraph type="secondary">{t('shift:ackNote')}: {s.ack_note}</Typography.Paragraph>}</> }}
                columns={[
                  { title: '#', dataIndex: 'id', width: 60 },
                  { title: t('shift:outgoing'), dataIndex: 'outgoing' },
                  { title: t('shift:incoming'), dataIndex: 'incoming' },
                  { title: t('shift:created'), render: (_, s) => ts(s.created_at) },
                  { title: t('shift:signed'), render: (_, s) => ts(s.signed_at) },
                  { title: t('shift:acknowledged'), render: (_, s) => ts(s.acknowledged_at) },
                  { title: t('shift:items'), render: (_, s) => (s.items ?? []).length },
                  { title: t('common.status'), render: (_, s) => { const st = sheetState(s); return <Tag color={STATE_COLOR[st]} data-testid="handover-state">{t(`shift:state.${st}`)}</Tag>; } },
                ]} />
            ),
          },
        ]}
      />
    </div>
  );
}

function MyCases({ list, loading, error, people, onDone }: { list: CaseSummary[]; loading: boolean; error: string; people: { id: number; name: string }[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { zone } = useWorkspace();
  const [selected, setSelected] = useState<number[]>([]);
  const [target, setTarget] = useState<number>();
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (target === undefined) return;
    setBusy(true);
    try {
      const n = await shifts.reassign(selected, target, reason.trim());
      void message.success(t('shift:reassigned', { n }));
      setOpen(false);
      setSelected([]);
      setReason('');
      onDone();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error && <Alert type="error" showIcon message={error} />}
      <Space style={{ marginBottom: 8 }}>
        <Button disabled={selected.length === 0 || people.length === 0} onClick={() => setOpen(true)} data-testid="bulk-reassign">
          {t('shift:reassign', { n: selected.length })}
        </Button>
        {people.length === 0 && <Typography.Text type="secondary">{t('shift:nobodyOnRoster')}</Typography.Text>}
      </Space>
      <Table<CaseSummary> size="small" rowKey="id" loading={loading} dataSource={list} pagination={{ pageSize: 50 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70, render: (id: number) => <a onClick={() => navigate('case', id)}>{id}</a> },
          { title: t('common.level'), dataIndex: 'level', width: 80, render: (l: number) => (l ? t('common.levelN', { n: l }) : t('common.level0')) },
          { title: t('shift:title'), dataIndex: 'title' },
          { title: t('common.status'), dataIndex: 'status', width: 90, render: (s: string) => t(`caseStatus.${s}`) },
          { title: t('common.lastActivity'), width: 150, render: (_, c) => formatTime(c.last_activity, zone) },
        ]} />
      <Modal open={open} title={t('shift:reassign', { n: selected.length })} onCancel={() => setOpen(false)} onOk={() => void submit()}
        okButtonProps={{ disabled: target === undefined || reason.trim() === '', loading: busy }} destroyOnHidden>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select style={{ width: '100%' }} placeholder={t('shift:to')} value={target} onChange={setTarget} options={people.map((p) => ({ value: p.id, label: p.name }))} />
          <Input.TextArea rows={3} placeholder={t('common.reasonRequired')} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Space>
      </Modal>
    </>
  );
}

function Handover({ people, onDone }: { people: { id: number; name: string }[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [incoming, setIncoming] = useState<number>();
  const [notes, setNotes] = useState('');
  const [sheet, setSheet] = useState<Sheet>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<Sheet>, done?: string) => {
    setBusy(true);
    try {
      setSheet(await fn());
      if (done) void message.success(done);
      onDone();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const signed = sheet && isSet(sheet.signed_at);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="handover">
      <Space wrap>
        <Select style={{ width: 240 }} placeholder={t('shift:incomingPick')} value={incoming} onChange={(v: number) => { setIncoming(v); setSheet(undefined); }}
          options={people.map((p) => ({ value: p.id, label: p.name }))} data-testid="handover-to" notFoundContent={t('shift:nobodyOnRoster')} />
        <Button type="primary" disabled={incoming === undefined || signed} loading={busy && !sheet} onClick={() => void run(() => shifts.generate(incoming!, notes))} data-testid="handover-generate">
          {t('shift:generate')}
        </Button>
      </Space>
      <Input.TextArea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('shift:notesPlaceholder')} disabled={signed} data-testid="handover-notes" />
      {sheet && (
        <Card size="small" title={t('shift:sheetTitle', { id: sheet.id, to: sheet.incoming })} data-testid="handover-sheet"
          extra={signed ? <Tag color="blue">{t('shift:state.signed')}</Tag> : (
            <Button type="primary" loading={busy} onClick={() => void run(() => shifts.signOff(sheet.id, notes), t('shift:signedOk'))} data-testid="handover-signoff">{t('shift:signOff')}</Button>
          )}>
          <SheetItems items={sheet.items ?? []} />
        </Card>
      )}
    </Space>
  );
}

function Incoming({ sheet, onDone }: { sheet: Sheet; onDone: () => void }) {
  const { t } = useTranslation();
  const { zone } = useWorkspace();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const ack = async () => {
    setBusy(true);
    try {
      await shifts.acknowledge(sheet.id, note.trim());
      void message.success(t('shift:ackOk'));
      onDone();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="incoming-sheet"
      title={t('shift:incomingTitle', { id: sheet.id, from: sheet.outgoing, at: formatTime(sheet.signed_at, zone) })}>
      {sheet.notes && <Alert type="info" message={sheet.notes} style={{ marginBottom: 8 }} />}
      <SheetItems items={sheet.items ?? []} />
      <Space style={{ marginTop: 8 }}>
        <Input style={{ width: 360 }} placeholder={t('shift:ackPlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} />
        <Button type="primary" loading={busy} onClick={() => void ack()} data-testid="handover-ack">{t('shift:acknowledge')}</Button>
      </Space>
    </Card>
  );
}
