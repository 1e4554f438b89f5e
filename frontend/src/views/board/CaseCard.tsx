// One card of the board: title, masked customer, channels, owner, flags and the nearest clock counting down.
import { memo } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Card, CaseSummary, Deadline } from '../../api';
import { formatDuration } from '../../shell/format';
import HoverTip from '../../shell/HoverTip';
import { urgency, urgencyColor } from './clock';

export const CARD_HEIGHT = 118;

export function Countdown({ d, now }: { d: Deadline | null | undefined; now: number }) {
  const { t } = useTranslation();
  const u = urgency(d ?? undefined, now);
  if (!d) return <span className="countdown countdown-none">{t('clock.none')}</span>;
  const left = Date.parse(d.due_at) - now;
  const text = u === 'paused' ? t('clock.paused') : left <= 0 ? t('clock.breached', { d: formatDuration(left) }) : t('clock.left', { d: formatDuration(left) });
  return (
    <HoverTip title={d.why ? `${d.clock}: ${d.why}` : d.clock}>
      <span className={`countdown countdown-${u}`} style={{ color: urgencyColor[u] }} data-urgency={u}>
        ⏱ {text}
      </span>
    </HoverTip>
  );
}

interface Props {
  card: Card;
  now: number;
  selected: boolean;
  onOpen: (id: number) => void;
  onSelect: (id: number) => void;
}

function CaseCard({ card, now, selected, onOpen, onSelect }: Props) {
  const { t, i18n } = useTranslation();
  const missing = card.missing ?? [];
  const c: CaseSummary = card.case;
  return (
    <div
      className={`case-card${selected ? ' case-card-selected' : ''}`}
      data-testid="case-card"
      data-case-id={c.id}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData('text/x-case-id', String(c.id));
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={() => onSelect(c.id)}
      onDoubleClick={() => onOpen(c.id)}
      style={{ height: CARD_HEIGHT - 8 }}
    >
      <div className="case-card-title" title={c.title}>
        {c.is_regulator && <Tag color="red">12315</Tag>}
        <a onClick={(e) => { e.stopPropagation(); onOpen(c.id); }}>#{c.id} {c.title}</a>
      </div>
      <div className="case-card-meta">
        <span>{c.customer || '—'}</span>
        <span>·</span>
        <span>{c.owner || t('common.unassigned')}</span>
        <span className="case-card-channels">{(c.channels ?? []).join(' / ')}</span>
      </div>
      <div className="case-card-flags">
        {(c.flags ?? []).slice(0, 4).map((f) => (
          <HoverTip key={f.name} title={f.evidence}>
            <Tag color="volcano" bordered={false}>{t(`board:flag.${f.name}`, { defaultValue: f.name })}</Tag>
          </HoverTip>
        ))}
        {missing.length > 0 && (
          <HoverTip title={missing.map((m) => (i18n.language.startsWith('zh') ? m.zh : m.en)).join('；')}>
            <Tag color="red" data-testid="missing-evidence">{t('board:missing', { n: missing.length })}</Tag>
          </HoverTip>
        )}
      </div>
      <Countdown d={card.nearest} now={now} />
    </div>
  );
}

export default memo(CaseCard);
