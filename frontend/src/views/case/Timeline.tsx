// Every item of the case in time order: emails, ticket transactions, letters, notes, replies, decisions,
// level/owner/status changes. HTML mail goes into the sandboxed MailFrame; plain text is rendered as text.
import { Empty, Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseEvent } from '../../api';
import { formatTime } from '../../shell/format';
import { useWorkspace } from '../../shell/workspace';
import MailFrame from './MailFrame';

const KIND_COLOR: Record<string, string> = { email: 'blue', letter: 'red', ticket: 'cyan', reply: 'green', note: 'gray', level: 'orange', owner: 'purple', status: 'purple', decision: 'gold' };

export default function Timeline({ events }: { events: CaseEvent[] }) {
  const { t } = useTranslation();
  const { zone } = useWorkspace();
  if (events.length === 0) return <Empty description={t('case:noEvents')} />;
  return (
    <AntTimeline
      data-testid="timeline"
      items={events.map((e) => ({
        key: e.id,
        color: KIND_COLOR[e.kind] ?? 'gray',
        children: (
          <div className="tl-item" data-testid="timeline-item" data-kind={e.kind}>
            <div className="tl-head">
              <Tag color={KIND_COLOR[e.kind]}>{t(`case:kind.${e.kind}`, { defaultValue: e.kind })}</Tag>
              <Typography.Text type="secondary">{formatTime(e.occurred_at, zone, 'YYYY-MM-DD HH:mm:ss')}</Typography.Text>
              {e.actor && <Typography.Text>{e.actor}</Typography.Text>}
              {e.channel && <Typography.Text type="secondary">· {e.channel}</Typography.Text>}
            </div>
            {e.summary && <div className="tl-summary">{e.summary}</div>}
            {e.body_html ? <MailFrame html={e.body_html} title={e.summary || e.kind} /> : e.body_text && <pre className="tl-body">{e.body_text}</pre>}
            {e.link_reason && <Typography.Text type="secondary" className="tl-why">{t('case:linkReason')}: {e.link_reason}</Typography.Text>}
          </div>
        ),
      }))}
    />
  );
}
