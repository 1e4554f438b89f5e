// The escalation board: red-alert strip of open incidents, toolbar (search, grouping, filters, saved views),
// virtualised columns, drag a card to another level or owner (asks a reason), keyboard j/k/Enter/'/'/a/e.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Input, Segmented, Select, Space, Switch, Tag, Tooltip, Typography, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import {
  board, helpdesk, mail, shifts, subscribe, system, type BoardColumn, type BoardFilter, type BoardQuery, type Card, type CaseStatus, type GroupBy, type MailAccount, type Shift, type SourceStatus,
} from '../../api';
import { formatTime } from '../../shell/format';
import { isTyping } from '../../shell/goKeys';
import { navigate } from '../../shell/route';
import { useAsync } from '../../shell/useAsync';
import { useNow } from '../../shell/useNow';
import { useWorkspace } from '../../shell/workspace';
import Column from './Column';
import MoveDialog, { type MoveRequest, type Owner } from './MoveDialog';
import SavedViews from './SavedViews';
import { useBoard } from './useBoard';
import './board.css';

const COLUMN_COLORS: Record<string, string> = { L1: '#cf1322', L2: '#fa8c16', L3: '#1677ff', L0: '#8c8c8c' };
export const TYPES = ['product', 'logistics', 'service', 'unknown'];
export const FLAGS = ['safety', 'regulator', 'media', 'legal', 'fake_goods', 'vulnerable', 'high_value'];

// One collator for every sort: String.localeCompare sets one up per call, which made sorting the owners of
// the first board a tenth of its script time.
const byName = new Intl.Collator().compare;

/** owners seen on the loaded cards: the people a card can be dragged or assigned to. */
export function ownersOf(cards: Record<string, Card[]>): Owner[] {
  const m = new Map<number, string>();
  for (const list of Object.values(cards)) for (const c of list) if (c.case.owner_id > 0) m.set(c.case.owner_id, c.case.owner);
  return [...m].map(([id, name]) => ({ id, name })).sort((a, b) => byName(a.name, b.name));
}

/** the shift filter's choices; a saved view's shift that is no longer on the loaded roster keeps a label. */
export function shiftOptions(roster: Shift[], zone: string, selected: number | undefined, unlisted: (id: number) => string): { value: number; label: string }[] {
  const opts = roster.map((s) => ({ value: s.id, label: `${s.name} · ${s.supervisor} · ${formatTime(s.starts_at, zone, 'MM-DD HH:mm')}` }));
  if (selected !== undefined && !roster.some((s) => s.id === selected)) opts.push({ value: selected, label: unlisted(selected) });
  return opts;
}

const STATUSES: CaseStatus[] = ['open', 'pending', 'resolved', 'closed'];

/** the columns of a grouping, in the backend's order, without cards. */
export function emptyColumns(g: GroupBy): BoardColumn[] {
  return g === 'status'
    ? STATUSES.map((s) => ({ key: s, level: 0, status: s, count: 0, cards: null }))
    : [1, 2, 3, 0].map((l) => ({ key: `L${l}`, level: l, status: '', count: 0, cards: null }));
}

export type SourceKind = 'imap' | SourceStatus['kind'];
type SourceOption = { value: number; label: string };

/**
 * the source filter's choices, grouped by kind; a selected source that is not listed (removed since a view was
 * saved, or the list not loaded yet) keeps a label.
 */
export function sourceOptions(
  accounts: MailAccount[], intake: SourceStatus[], selected: number[] | undefined,
  kindLabel: (k: SourceKind) => string, unlisted: (id: number) => string,
): (SourceOption | { label: string; options: SourceOption[] })[] {
  const all = [...accounts.map((a) => ({ id: a.id, kind: 'imap' as const, name: a.name })), ...intake];
  const groups = (['imap', 'rt', 'letters', 'import'] as const)
    .map((k) => ({ label: kindLabel(k), options: all.filter((s) => s.kind === k).map((s) => ({ value: s.id, label: s.name })) }))
    .filter((g) => g.options.length > 0);
  const gone = (selected ?? []).filter((id) => !all.some((s) => s.id === id)).map((id) => ({ value: id, label: unlisted(id) }));
  return [...groups, ...gone];
}

export default function BoardView() {
  const { t } = useTranslation();
  const { zone, user } = useWorkspace();
  const live = !!user; // signed out: the standby board behind the sign-in form, which loads nothing
  const now = useNow();
  // Yesterday's shifts too: a supervisor coming on looks at what the last shift's owner still holds.
  const [from, to] = useMemo(() => [dayjs().subtract(24, 'hour').toISOString(), dayjs().add(24, 'hour').toISOString()], []);
  const roster = useAsync(async () => (live ? shifts.roster(from, to) : undefined), [from, to, live]);
  useEffect(() => subscribe(['roster:changed'], roster.reload), [roster.reload]);
  const [text, setText] = useState('');
  // The first window fills a column's height with some to scroll into; the rest comes as it scrolls
  // (useBoard's ensure). Sixty cards a column was three times the data and render of the first paint.
  const [q, setQ] = useState<BoardQuery>({ groupBy: 'level', filter: {}, window: 24 });
  const [selected, setSelected] = useState<number>();
  const [move, setMove] = useState<MoveRequest>();
  const search = useRef<InputRef>(null);
  const b = useBoard(q, live);
  const setFilter = (f: Partial<BoardFilter>) => setQ((prev) => ({ ...prev, filter: { ...prev.filter, ...f } }));

  // A grouping's columns are fixed (backend/board columnsFor). Until the first answer they stand empty, so
  // that the standby board lays out its lists before it has cards: measuring them when the cards came
  // forced the web view to lay out the page in the middle of the first board's render.
  const columns = b.data?.columns ?? emptyColumns(q.groupBy);
  const flat = useMemo(() => columns.flatMap((c) => b.cards[c.key] ?? []), [columns, b.cards]);
  const byId = useMemo(() => new Map(flat.map((c) => [c.case.id, c.case])), [flat]);
  const owners = useMemo(() => ownersOf(b.cards), [b.cards]);

  // Tell `make bench-board` when the first cards are painted (once per process; a no-op otherwise).
  const painted = useRef(false);
  useEffect(() => {
    if (painted.current || flat.length === 0) return;
    painted.current = true;
    system.mark('first-paint');
  }, [flat.length]);

  const open = useCallback((id: number) => navigate('case', id), []);
  const askMove = useCallback(
    (caseId: number, kind: 'level' | 'owner', target: number | undefined) => {
      const c = byId.get(caseId);
      if (!c) return;
      if (target !== undefined && (kind === 'level' ? c.level === target : c.owner_id === target)) return;
      setMove({ caseId, title: c.title, kind, target });
    },
    [byId],
  );

  // Keyboard: j/k move the selection through the board in column order, Enter opens, / searches,
  // a assigns, e escalates (one level more severe). Ignored while typing or while a dialog is open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!live || move || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (document.querySelector('.ant-modal-wrap')) return;
      const idx = flat.findIndex((c) => c.case.id === selected);
      const cur = idx >= 0 ? flat[idx]!.case : undefined;
      if (e.key === 'j' || e.key === 'k') {
        const next = e.key === 'j' ? Math.min(flat.length - 1, idx + 1) : Math.max(0, idx - 1);
        if (flat[next]) setSelected(flat[next]!.case.id);
      } else if (e.key === 'Enter' && cur) {
        open(cur.id);
      } else if (e.key === '/') {
        search.current?.focus();
      } else if (e.key === 'a' && cur) {
        askMove(cur.id, 'owner', undefined);
      } else if (e.key === 'e' && cur) {
        askMove(cur.id, 'level', cur.level === 0 ? 3 : cur.level > 1 ? cur.level - 1 : undefined);
      } else {
        return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [live, flat, selected, move, open, askMove]);

  const columnTitle = (key: string, level: number, status: string) =>
    q.groupBy === 'status' ? t(`caseStatus.${status}`) : key === 'L0' || level === 0 ? t('common.level0') : t('common.levelN', { n: level });
  const incidents = b.data?.incidents ?? [];
  const f = q.filter;

  // Listing sources probes the keyring and counts each source's items, so it waits for the picker to be opened
  // (or a saved view to name sources) instead of delaying the board's first paint; each opening refreshes it.
  const [sourcesOpened, setSourcesOpened] = useState(false);
  const wantSources = sourcesOpened || (f.sourceIds?.length ?? 0) > 0;
  const sources = useAsync(
    async () => (wantSources ? Promise.all([mail.accounts(), helpdesk.list()]) : undefined),
    [wantSources],
  );

  return (
    <div className="board" data-testid="board">
      {incidents.length > 0 && (
        <div className="incident-strip" data-testid="incident-strip">
          <strong>{t('board:incidents', { n: incidents.length })}</strong>
          {incidents.map((i) => (
            <Tooltip key={i.id} title={t('board:incidentFilter')}>
              <Tag
                color={f.incidentId === i.id ? '#a8071a' : 'red'}
                className="incident-tag"
                onClick={() => setFilter({ incidentId: f.incidentId === i.id ? undefined : i.id })}
              >
                {t('common.levelN', { n: i.level })} · {i.title} · {t('board:incidentCases', { n: i.caseCount })}
              </Tag>
            </Tooltip>
          ))}
        </div>
      )}
      <Space wrap className="board-toolbar">
        <Input.Search
          ref={search}
          allowClear
          placeholder={t('board:searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => setFilter({ query: v.trim() || undefined })}
          style={{ width: 280 }}
          data-testid="board-search"
        />
        <Segmented<GroupBy>
          value={q.groupBy}
          onChange={(g) => setQ({ ...q, groupBy: g })}
          options={[
            { value: 'level', label: t('board:groupLevel') },
            { value: 'status', label: t('board:groupStatus') },
          ]}
        />
        <Select
          allowClear placeholder={t('common.owner')} style={{ width: 130 }}
          value={f.unassigned ? -1 : f.ownerIds?.[0]}
          onChange={(v?: number) => setFilter(v === -1 ? { unassigned: true, ownerIds: undefined } : { unassigned: undefined, ownerIds: v === undefined ? undefined : [v] })}
          options={[{ value: -1, label: t('common.unassigned') }, ...owners.map((o) => ({ value: o.id, label: o.name }))]}
          data-testid="filter-owner"
        />
        <Select
          allowClear placeholder={roster.error || t('board:shift')} status={roster.error ? 'warning' : undefined}
          style={{ width: 160 }} popupMatchSelectWidth={false} value={f.shiftId}
          onChange={(v?: number) => setFilter({ shiftId: v })}
          options={shiftOptions(roster.data ?? [], zone, f.shiftId, (id) => t('board:shiftN', { id }))}
          data-testid="filter-shift"
        />
        <Select<number[]>
          mode="multiple" allowClear maxTagCount={1} optionFilterProp="label"
          placeholder={sources.error || t('board:source')} status={sources.error ? 'warning' : undefined}
          style={{ width: 180 }} popupMatchSelectWidth={false} value={f.sourceIds ?? []} loading={sources.loading && wantSources}
          onOpenChange={(open) => {
            if (!open) return;
            if (wantSources) sources.reload();
            else setSourcesOpened(true);
          }}
          onChange={(v) => setFilter({ sourceIds: v.length > 0 ? v : undefined })}
          options={sourceOptions(sources.data?.[0] ?? [], sources.data?.[1] ?? [], f.sourceIds, (k) => t(`board:sourceKind.${k}`), (id) => t('board:sourceN', { id }))}
          data-testid="filter-source"
        />
        <Select
          allowClear placeholder={t('common.type')} style={{ width: 120 }} value={f.types?.[0]}
          onChange={(v?: string) => setFilter({ types: v ? [v] : undefined })}
          options={TYPES.map((o) => ({ value: o, label: t(`board:type.${o}`) }))}
          data-testid="filter-type"
        />
        <Select
          allowClear placeholder={t('common.flags')} style={{ width: 130 }} value={f.flags?.[0]}
          onChange={(v?: string) => setFilter({ flags: v ? [v] : undefined })}
          options={FLAGS.map((o) => ({ value: o, label: t(`board:flag.${o}`) }))}
          data-testid="filter-flag"
        />
        <Space size={4}>
          <Switch size="small" checked={!!f.breached} onChange={(v) => setFilter({ breached: v || undefined })} data-testid="filter-breached" />
          {t('board:breached')}
        </Space>
        <Space size={4}>
          <Switch size="small" checked={!!f.regulator} onChange={(v) => setFilter({ regulator: v || undefined })} data-testid="filter-regulator" />
          {t('board:regulator')}
        </Space>
        <SavedViews query={q} onApply={(v) => { setText(v.filter.query ?? ''); setQ({ ...q, groupBy: v.groupBy || 'level', filter: v.filter ?? {} }); }} />
        <Button onClick={b.reload} loading={b.loading}>{t('common.refresh')}</Button>
        <Typography.Text type="secondary" data-testid="board-total">{t('board:total', { n: b.data?.total ?? 0 })}</Typography.Text>
      </Space>
      {owners.length > 0 && (
        <div className="owner-drop" data-testid="owner-drop">
          <Typography.Text type="secondary">{t('board:dropOwner')}</Typography.Text>
          {owners.map((o) => (
            <span
              key={o.id}
              className="owner-target"
              data-testid="owner-target"
              onDragOver={(e) => { e.preventDefault(); e.currentTarget.classList.add('owner-target-over'); }}
              onDragLeave={(e) => e.currentTarget.classList.remove('owner-target-over')}
              onDrop={(e) => {
                e.preventDefault();
                e.currentTarget.classList.remove('owner-target-over');
                askMove(Number(e.dataTransfer.getData('text/x-case-id')), 'owner', o.id);
              }}
            >
              {o.name}
            </span>
          ))}
        </div>
      )}
      {b.error && <Alert type="error" showIcon message={b.error} action={<Button size="small" onClick={b.reload}>{t('common.retry')}</Button>} />}
      <div className="board-columns">
        {columns.map((col) => (
          <Column
            key={col.key}
            id={col.key}
            title={columnTitle(col.key, col.level, col.status)}
            color={COLUMN_COLORS[col.key] ?? '#597ef7'}
            cards={b.cards[col.key] ?? []}
            count={b.data ? col.count : undefined}
            now={now}
            selectedId={selected}
            onOpen={open}
            onSelect={setSelected}
            onNeed={(i) => b.ensure(col.key, i)}
            onDrop={q.groupBy === 'level' && col.level > 0 ? (id) => askMove(id, 'level', col.level) : undefined}
          />
        ))}
      </div>
      <MoveDialog
        request={move}
        owners={owners}
        onClose={() => setMove(undefined)}
        onSubmit={async (req, target, reason) => {
          await board.move(req.kind === 'level' ? { caseId: req.caseId, level: target, reason } : { caseId: req.caseId, ownerId: target, reason });
          b.reload();
        }}
      />
    </div>
  );
}
