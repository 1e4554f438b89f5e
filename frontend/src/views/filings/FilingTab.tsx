// The Regulator-filing tab: the case's evidence requirements by scenario, its regulator matters with statutory
// deadlines (counted by the backend on the working-day calendar), per-item sign-off, status, and the packet export.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Empty, Form, Input, Modal, Popconfirm, Select, Space, Steps, Table, Tag, Typography, message } from 'antd';
import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, subscribe } from '../../api';
import {
  evidenceApi, filingsApi, nextStatuses, type ChecklistItem, type EvidenceItem, type ItemState, type MatterStatus, type MatterType,
  type MatterView, type Missing,
} from '../../api/legal';
import { formatTime } from '../../shell/format';
import { useAsync } from '../../shell/useAsync';
import { useWorkspace } from '../../shell/workspace';
import type { CaseTabProps } from '../caseTabs';

const stateColor: Record<ItemState, string> = { missing: 'red', covered: 'default', open: 'default', linked: 'gold', signed: 'green' };
const statusOrder: MatterStatus[] = ['draft', 'ready', 'submitted', 'replied', 'closed'];

/** label picks the item's text in the UI language. */
export function label(x: { zh: string; en: string }, lang: string): string {
  return lang.startsWith('zh') ? x.zh : x.en;
}

export default function FilingTab({ caseId }: CaseTabProps) {
  const { t, i18n } = useTranslation();
  const { role } = useWorkspace();
  const data = useAsync(() => filingsApi.get(caseId), [caseId]);
  const evidence = useAsync(() => evidenceApi.list(caseId), [caseId]);
  const scenarios = useAsync(() => filingsApi.scenarios(caseId), [caseId]);
  const [scenario, setScenario] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const legal = role === 'legal' || role === 'manager';
  useEffect(() => subscribe(['filing:changed', 'evidence:changed'], () => { data.reload(); evidence.reload(); }), [data.reload, evidence.reload]);

  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) void message.success(ok);
      data.reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const lang = i18n.language;
  const f = data.data;
  const evItems = evidence.data ?? [];

  return (
    <div data-testid="filing-tab">
      {data.error && <Alert type="error" showIcon message={data.error} />}
      <Card size="small" title={t('filings:checklist')} style={{ marginBottom: 12 }}
        extra={
          <Space>
            <Select style={{ width: 280 }} placeholder={t('filings:scenarioPick')} value={scenario} onChange={setScenario} data-testid="scenario-select"
              options={(scenarios.data ?? []).map((s) => ({ value: s.name, label: `${label(s, lang)}${s.suggested ? ` · ${t('filings:suggested')}` : ''}` }))} />
            <Button disabled={!scenario} data-testid="scenario-apply"
              onClick={() => scenario && act(async () => { const n = await filingsApi.applyScenario(caseId, scenario); void message.success(t('filings:applied', { n })); })}>
              {t('filings:apply')}
            </Button>
          </Space>
        }>
        <MissingLine missing={f?.missing ?? []} lang={lang} />
        {f && f.checklist.length === 0 ? (
          <Empty description={t('filings:noChecklist')} />
        ) : (
          <ChecklistTable caseId={caseId} items={f?.checklist ?? []} states={f?.states ?? {}} evidence={evItems} legal={legal} act={act} />
        )}
      </Card>
      <Card size="small" title={t('filings:matters')}
        extra={legal && (
          <Space>
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="matter-new">{t('filings:newMatter')}</Button>
            <Button icon={<FilePdfOutlined />} loading={busy} data-testid="packet-export"
              onClick={async () => {
                setBusy(true);
                try {
                  const res = await filingsApi.exportPacket(caseId);
                  if (res.pdf) void message.success(t('filings:exported', { pdf: res.pdf }));
                } catch (e) {
                  void message.error(errorText(e));
                } finally {
                  setBusy(false);
                }
              }}>
              {t('filings:exportPacket')}
            </Button>
          </Space>
        )}>
        {f && f.matters.length === 0 && <Empty description={t('filings:noMatters')} />}
        {(f?.matters ?? []).map((m) => (
          <MatterCard key={m.id} m={m} caseId={caseId} evidence={evItems} legal={legal} act={act} />
        ))}
      </Card>
      <NewMatterDialog open={creating} caseId={caseId} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); data.reload(); }} />
    </div>
  );
}

function MissingLine({ missing, lang }: { missing: Missing[]; lang: string }) {
  const { t } = useTranslation();
  if (missing.length === 0) return null;
  return <Alert style={{ marginBottom: 8 }} type="warning" showIcon data-testid="filing-missing"
    message={t('filings:missing', { list: missing.map((x) => label(x, lang)).join('；') })} />;
}

type Act = (fn: () => Promise<unknown>, ok?: string) => Promise<void>;

function ChecklistTable({ caseId, items, states, evidence, legal, act }: {
  caseId: number; items: ChecklistItem[]; states: Record<string, ItemState>; evidence: EvidenceItem[]; legal: boolean; act: Act;
}) {
  const { t, i18n } = useTranslation();
  const { zone } = useWorkspace();
  const [note, setNote] = useState('');
  return (
    <Table<ChecklistItem> size="small" rowKey="id" pagination={false} dataSource={items} columns={[
      { title: t('filings:col.item'), render: (_, it) => (
        <Space direction="vertical" size={0}>
          <span>{label(it, i18n.language)}{it.optional ? <Typography.Text type="secondary"> ({t('filings:optional')})</Typography.Text> : null}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{it.basis}</Typography.Text>
        </Space>
      ) },
      { title: t('filings:col.state'), width: 110, render: (_, it) => {
        const st = states[String(it.id)] ?? 'missing';
        return <Tag color={stateColor[st]} data-testid={`item-state-${it.id}`}>{t(`filings:state.${st}`)}</Tag>;
      } },
      { title: t('filings:col.evidence'), width: 260, render: (_, it) => (
        <Space wrap size={4}>
          {it.evidence_ids.map((id) => (
            <Tag key={id} closable onClose={(e) => { e.preventDefault(); void act(() => filingsApi.unlink(caseId, it.id, id)); }}>E{id}</Tag>
          ))}
          <Select size="small" style={{ width: 150 }} placeholder={t('filings:linkPick')} value={null} data-testid={`link-${it.id}`}
            options={evidence.filter((e) => !it.evidence_ids.includes(e.id)).map((e) => ({ value: e.id, label: `E${e.id} ${e.filename}` }))}
            onChange={(v: number | null) => v && void act(() => filingsApi.link(caseId, it.id, v))} />
        </Space>
      ) },
      { title: t('filings:col.sign'), width: 220, render: (_, it) => it.signed_by ? (
        <Space direction="vertical" size={0}>
          <span>{it.signed_by} {formatTime(it.signed_at, zone)}</span>
          {it.note && <Typography.Text type="secondary">{it.note}</Typography.Text>}
          {legal && (
            <Popconfirm title={<Input placeholder={t('filings:unsignReason')} onChange={(e) => setNote(e.target.value)} />}
              onConfirm={() => act(() => filingsApi.unsign(caseId, it.id, note))}>
              <Button size="small" type="link" style={{ padding: 0 }}>{t('filings:unsign')}</Button>
            </Popconfirm>
          )}
        </Space>
      ) : legal && it.evidence_ids.length > 0 ? (
        <Popconfirm title={<Input placeholder={t('filings:signNote')} onChange={(e) => setNote(e.target.value)} />}
          onConfirm={() => act(() => filingsApi.sign(caseId, it.id, note))}>
          <Button size="small" data-testid={`sign-${it.id}`}>{t('filings:sign')}</Button>
        </Popconfirm>
      ) : '—' },
    ]} />
  );
}

function MatterCard({ m, caseId, evidence, legal, act }: { m: MatterView; caseId: number; evidence: EvidenceItem[]; legal: boolean; act: Act }) {
  const { t, i18n } = useTranslation();
  const { zone } = useWorkspace();
  const dates: Record<MatterStatus, string | undefined> = { draft: undefined, ready: m.ready_at, submitted: m.submitted_at, replied: m.replied_at, closed: m.closed_at };
  return (
    <Card type="inner" size="small" style={{ marginBottom: 12 }} data-testid={`matter-${m.id}`}
      title={<Space wrap><b>#{m.id} {m.title}</b><Tag>{t(`filings:status.${m.status}`)}</Tag>{m.regulator}{m.work_order_no && <Typography.Text code>{m.work_order_no}</Typography.Text>}</Space>}
      extra={legal && (
        <Space>
          {nextStatuses[m.status].map((s) => (
            <Button key={s} size="small" data-testid={`matter-${m.id}-to-${s}`} onClick={() => act(() => filingsApi.setStatus(m.id, s))}>
              {t('filings:moveTo', { status: t(`filings:status.${s}`) })}
            </Button>
          ))}
        </Space>
      )}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('filings:form.received')} {formatTime(m.received_at, zone)} · {t('filings:rule')} {label(m.rule, i18n.language)} · {t('filings:owner')} {m.owner}
        </Typography.Text>
        <Steps size="small" current={statusOrder.indexOf(m.status)} items={statusOrder.map((s) => ({
          title: t(`filings:status.${s}`), description: formatTime(dates[s], zone),
        }))} />
        <div data-testid={`deadlines-${m.id}`}>
          <Typography.Text strong>{t('filings:deadlines')}</Typography.Text>
          {m.deadlines.map((d) => (
            <div key={d.id}>
              <Tag color={d.state === 'overdue' ? 'red' : d.state === 'open' ? 'blue' : 'default'}>{t(`filings:dstate.${d.state}`)}</Tag>
              {label(d, i18n.language)} · {d.state === 'unknown' ? d.error : t('filings:due', { date: d.due_date })}
              {d.skipped > 0 && <Typography.Text type="secondary"> ({t('filings:skipped', { n: d.skipped })})</Typography.Text>}
              {d.confidence === 'U' && <Tag color="orange" style={{ marginLeft: 6 }}>{t('filings:unverified')}</Tag>}
              <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.source}</Typography.Text></div>
            </div>
          ))}
        </div>
        <MissingLine missing={m.missing} lang={i18n.language} />
        <ChecklistTable caseId={caseId} items={m.items} states={m.states} evidence={evidence} legal={legal} act={act} />
      </Space>
    </Card>
  );
}

function NewMatterDialog({ open, caseId, onClose, onCreated }: { open: boolean; caseId: number; onClose: () => void; onCreated: () => void }) {
  const { t, i18n } = useTranslation();
  const types = useAsync(() => filingsApi.matterTypes(), []);
  const [form] = Form.useForm<{ type: MatterType; received: dayjs.Dayjs; regulator: string; workOrderNo: string; title: string; owner: string }>();
  return (
    <Modal open={open} title={t('filings:newMatter')} okText={t('filings:form.create')} onCancel={onClose} destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields();
        try {
          await filingsApi.createMatter({ caseId, type: v.type, received: v.received.format('YYYY-MM-DD HH:mm'), regulator: v.regulator ?? '',
            workOrderNo: v.workOrderNo ?? '', title: v.title ?? '', owner: v.owner ?? '' });
          onCreated();
        } catch (e) {
          void message.error(errorText(e));
        }
      }}>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="type" label={t('filings:form.type')} rules={[{ required: true }]}>
          <Select data-testid="matter-type" options={(types.data ?? []).map((x) => ({ value: x.type, label: label(x, i18n.language) }))} />
        </Form.Item>
        <Form.Item name="received" label={t('filings:form.received')} extra={t('filings:form.receivedHelp')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="regulator" label={t('filings:form.regulator')}><Input /></Form.Item>
        <Form.Item name="workOrderNo" label={t('filings:form.workOrder')}><Input /></Form.Item>
        <Form.Item name="title" label={t('filings:form.title')}><Input /></Form.Item>
        <Form.Item name="owner" label={t('filings:form.owner')}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}
