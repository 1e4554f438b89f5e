// Case header: level, status, flags (with the words that raised them), clocks with their "why", owner.
import { Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseSummary } from '../../api';
import { formatDuration, formatTime } from '../../shell/format';
import { useWorkspace } from '../../shell/workspace';
import { useNow } from '../../shell/useNow';
import { urgency, urgencyColor } from '../board/clock';
import UnmaskButton from '../people/UnmaskButton';

const LEVEL_COLOR = ['default', 'red', 'orange', 'blue'];

export default function CaseHeader({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  const { zone } = useWorkspace();
  const now = useNow();
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
      <div className="case-clocks" data-testid="case-clocks">
        {(c.deadlines ?? []).length === 0 && <Typography.Text type="secondary">{t('clock.none')}</Typography.Text>}
        {(c.deadlines ?? []).map((d) => {
          const u = urgency(d, now);
          const left = Date.parse(d.due_at) - now;
          return (
            <div key={d.clock} className="case-clock" style={{ borderLeftColor: urgencyColor[u] }}>
              <strong>{t(`case:clock.${d.clock}`, { defaultValue: d.clock })}</strong>{' '}
              <span style={{ color: urgencyColor[u] }}>
                {d.state === 'met' ? t('clock.met') : u === 'paused' ? t('clock.paused') : left <= 0 ? t('clock.breached', { d: formatDuration(left) }) : t('clock.left', { d: formatDuration(left) })}
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
