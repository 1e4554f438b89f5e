// Case header: level, status, flags (with the words that raised them), clocks with their "why", owner.
import { Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { engine, type CaseSummary, type Deadline } from '../../api';
import { useAsync } from '../../shell/useAsync';
import { formatDuration, formatTime } from '../../shell/format';
import { useWorkspace } from '../../shell/workspace';
import { useNow } from '../../shell/useNow';
import { urgency, urgencyColor } from '../board/clock';
import UnmaskButton from '../people/UnmaskButton';

const LEVEL_COLOR = ['default', 'red', 'orange', 'blue'];

export default function CaseHeader({ c, version }: { c: CaseSummary; version: number }) {
  const { t, i18n } = useTranslation();
  const { zone } = useWorkspace();
  const now = useNow();
  // The engine's explanation carries every clock replayed now with its "why"; the summary's deadlines are the
  // fallback when the engine has nothing for this case yet.
  const why = useAsync(() => engine.explain(c.id), [c.id, version]);
  const clocks: (Deadline & { label: string; source?: string })[] =
    (why.data?.clocks ?? []).length > 0
      ? why.data!.clocks!.map((v) => ({ clock: v.id, label: i18n.language === 'en' ? v.label_en : v.label_zh, due_at: v.status.due_at, state: v.status.state, percent: v.status.percent, why: v.status.why, source: v.source }))
      : (c.deadlines ?? []).map((d) => ({ ...d, label: t(`case:clock.${d.clock}`, { defaultValue: d.clock }) }));
  return (
    <div className="case-header" data-testid="case-header">
      <Space align="center" wrap>
        <Tag color={LEVEL_COLOR[c.level]} data-testid="case-level">{c.level === 0 ? t('common.level0') : t('common.levelN', { n: c.level })}</Tag>
        <Typography.Title level={4} style={{ margin: 0 }}>#{c.id} {c.title}</Typography.Title>
        <Tag>{t(`caseStatus.${c.status}`)}</Tag>
        {c.is_regulator && <Tag color="red">12315 {c.work_order_no}</Tag>}
        {(c.flags ?? []).map((f) => (
          <Tooltip key={f.name} title={f.evidence}><Tag color="volcano">{t(`board:flag.${f.name}`, { defaultValue: f.name })}</Tag></Tooltip>
        ))}
      </Space>
      <Descriptions size="small" column={4} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('common.owner')}>{c.owner || t('common.unassigned')}</Descriptions.Item>
        <Descriptions.Item label={t('common.customer')}>{c.customer} {c.customer_email} <UnmaskButton caseId={c.id} /></Descriptions.Item>
        <Descriptions.Item label={t('common.order')}>{c.order_no || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('common.type')}>{t(`board:type.${c.type}`, { defaultValue: c.type })}{c.subtype ? ` / ${c.subtype}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('common.channels')}>{(c.channels ?? []).join(' / ')}</Descriptions.Item>
        <Descriptions.Item label={t('common.opened')}>{formatTime(c.opened_at, zone)}</Descriptions.Item>
        <Descriptions.Item label={t('common.lastActivity')}>{formatTime(c.last_activity, zone)}</Descriptions.Item>
      </Descriptions>
      {why.data?.level_why && (
        <div className="case-level-why" data-testid="level-why">
          <strong>{t('case:levelWhy')}:</strong> {why.data.level_why}
          {(why.data.classification?.level_reasons ?? []).length > 0 && <span> · {why.data.classification.level_reasons!.join('；')}</span>}
        </div>
      )}
      <div className="case-clocks" data-testid="case-clocks">
        {clocks.length === 0 && <Typography.Text type="secondary">{t('clock.none')}</Typography.Text>}
        {clocks.map((d) => {
          const u = urgency(d, now);
          const left = Date.parse(d.due_at) - now;
          return (
            <div key={d.clock} className="case-clock" style={{ borderLeftColor: urgencyColor[u] }}>
              <Tooltip title={d.source}><strong>{d.label}</strong></Tooltip>{' '}
              <span style={{ color: urgencyColor[u] }}>
                {d.state === 'met' || d.state === 'stopped' ? t('clock.met') : u === 'paused' ? t('clock.paused') : left <= 0 ? t('clock.breached', { d: formatDuration(left) }) : t('clock.left', { d: formatDuration(left) })}
              </span>{' '}
              <Typography.Text type="secondary">{formatTime(d.due_at, zone)}</Typography.Text>
              {d.why && <div className="case-clock-why">{t('case:why')}: {d.why}</div>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
