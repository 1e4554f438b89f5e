// Every item of the case in time order: emails, ticket transactions, letters, notes, replies, decisions,
// level/owner/status changes. HTML mail goes into the sandboxed MailFrame; plain text is rendered as text.
import { Empty, Tag, Timeline as AntTimeline, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseEvent, MailboxState } from '../../api';
import { formatTime } from '../../shell/format';
import { useWorkspace } from '../../shell/workspace';
import MailFrame from './MailFrame';

const KIND_COLOR: Record<string, string> = { email: 'blue', letter: 'red', regulator: 'red', ticket: 'cyan', reply: 'green', note: 'gray', level: 'orange', owner: 'purple', status: 'purple', decision: 'gold' };

/** The mailbox flags a supervisor acts on: someone answered, flagged or forwarded it from a mail client. */
const SHOWN_FLAGS: Record<string, { key: string; color: string }> = {
  '\\answered': { key: 'answered', color: 'green' },
  '\\flagged': { key: 'flagged', color: 'gold' },
  '$forwarded': { key: 'forwarded', color: 'cyan' },
};

/** What the mail server says of a mirrored email: shown flags, and a deletion there (Cockpit keeps its copy). */
function MailboxTags({ state }: { state: MailboxState }) {
  const { t } = useTranslation();
  const { zone } = useWorkspace();
  const flags = state.flags ?? [];
  const all = flags.length > 0 ? flags.join(' ') : t('case:mailbox.noFlags');
  return (
    <span data-testid="mailbox-state">
      {flags.map((f) => SHOWN_FLAGS[f.toLowerCase()]).filter((s) => s !== undefined).map((s) => (
        <Tooltip key={s.key} title={t('case:mailbox.flags', { flags: all })}>
          <Tag color={s.color}>{t(`case:mailbox.${s.key}`)}</Tag>
        </Tooltip>
      ))}
      {state.removed_at && (
        <Tooltip title={t('case:mailbox.removedWhy', { at: formatTime(state.removed_at, zone, 'YYYY-MM-DD HH:mm') })}>
          <Tag color="red" data-testid="mailbox-removed">{t('case:mailbox.removed')}</Tag>
        </Tooltip>
      )}
    </span>
  );
}

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
              {e.mailbox && <MailboxTags state={e.mailbox} />}
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
