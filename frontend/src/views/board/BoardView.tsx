// The escalation board: incident strip, toolbar (search, grouping, filters), virtualised columns, drag to
// move with a reason, keyboard j/k/Enter/'/'/a/e.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Input, Segmented, Select, Space, Switch, Typography, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { board, cases, subscribe, type CaseSummary } from '../../api';
import { navigate } from '../../shell/route';
import { useAsync } from '../../shell/useAsync';
import { useNow } from '../../shell/useNow';
import Column from './Column';
import MoveDialog, { type MoveRequest } from './MoveDialog';
import { emptyFilter, facets, groupCases, matches, type BoardFilter, type GroupBy } from './group';
import './board.css';

const LEVEL_COLORS: Record<string, string> = { 'level-1': '#cf1322', 'level-2': '#fa8c16', 'level-3': '#1677ff', 'level-0': '#8c8c8c' };

export default function BoardView() {
  const { t } = useTranslation();
  const now = useNow();
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const [groupBy, setGroupBy] = useState<GroupBy>('level');
  const [filter, setFilter] = useState<BoardFilter>(emptyFilter);
  const [selected, setSelected] = useState<number>();
  const [move, setMove] = useState<MoveRequest>();
  const search = useRef<InputRef>(null);

  const list = useAsync(() => cases.list({ query: applied, status: '' }), [applied]);
  useEffect(() => subscribe(['case:created', 'case:updated', 'cases:changed'], list.reload), [list.reload]);

  const all = list.data ?? [];
  const shown = useMemo(() => all.filter((c) => matches(c, filter, Date.now())), [all, filter]);
  const groups = useMemo(() => groupCases(shown, groupBy), [shown, groupBy]);
  const f = useMemo(() => facets(all), [all]);
  const flat = useMemo(() => groups.flatMap((g) => g.cards), [groups]);
  const byId = useMemo(() => new Map(all.map((c) => [c.id, c])), [all]);

  const open = useCallback((id: number) => navigate('case', id), []);
  const canMove = board.canMove();
  const askMove = useCallback(
    (caseId: number, kind: 'level' | 'owner', target: number | string | undefined) => {
      const c = byId.get(caseId);
      if (!c || !canMove) return;
      if (target !== undefined && (kind === 'level' ? c.level === target : c.owner === target)) return;
      setMove({ caseId, title: c.title, kind, target });
    },
    [byId, canMove],
  );

  // Keyboard: j/k move the selection through the board in column order, Enter opens, / searches,
  // a assigns, e escalates (one level more severe). Ignored while typing in a field or a dialog is open.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (move || e.ctrlKey || e.metaKey || e.altKey) return;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable)) return;
      const idx = flat.findIndex((c) => c.id === selected);
      const cur = idx >= 0 ? flat[idx] : undefined;
      if (e.key === 'j' || e.key === 'k') {
        const next = e.key === 'j' ? Math.min(flat.length - 1, idx + 1) : Math.max(0, idx - 1);
        if (flat[next]) setSelected(flat[next]!.id);
      } else if (e.key === 'Enter' && cur) {
        open(cur.id);
      } else if (e.key === '/') {
        search.current?.focus();
      } else if (e.key === 'a' && cur) {
        askMove(cur.id, 'owner', undefined);
      } else if (e.key === 'e' && cur) {
        askMove(cur.id, 'level', cur.level > 1 ? cur.level - 1 : cur.level === 0 ? 3 : undefined);
      } else {
        return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flat, selected, move, open, askMove]);

  const groupTitle = (id: string) => {
    const [kind, v] = [id.slice(0, id.indexOf('-')), id.slice(id.indexOf('-') + 1)];
    if (kind === 'level') return v === '0' ? t('common.level0') : t('common.levelN', { n: v });
    if (kind === 'status') return t(`caseStatus.${v}`);
    return v === '-' ? t('common.unassigned') : v;
  };

  return (
    <div className="board" data-testid="board">
      <Space wrap className="board-toolbar">
        <Input.Search
          ref={search}
          allowClear
          placeholder={t('board:searchPlaceholder')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onSearch={(v) => setApplied(v.trim())}
          style={{ width: 280 }}
          data-testid="board-search"
        />
        <Segmented<GroupBy>
          value={groupBy}
          onChange={setGroupBy}
          options={[
            { value: 'level', label: t('board:groupLevel') },
            { value: 'status', label: t('board:groupStatus') },
            { value: 'owner', label: t('board:groupOwner') },
          ]}
        />
        <Select allowClear placeholder={t('common.owner')} style={{ width: 130 }} value={filter.owner || undefined}
          onChange={(v?: string) => setFilter({ ...filter, owner: v ?? '' })}
          options={[{ value: '-', label: t('common.unassigned') }, ...f.owners.map((o) => ({ value: o, label: o }))]} data-testid="filter-owner" />
        <Select allowClear placeholder={t('common.type')} style={{ width: 120 }} value={filter.type || undefined}
          onChange={(v?: string) => setFilter({ ...filter, type: v ?? '' })}
          options={f.types.map((o) => ({ value: o, label: t(`board:type.${o}`, { defaultValue: o }) }))} data-testid="filter-type" />
        <Select allowClear placeholder={t('common.flags')} style={{ width: 130 }} value={filter.flag || undefined}
          onChange={(v?: string) => setFilter({ ...filter, flag: v ?? '' })}
          options={f.flags.map((o) => ({ value: o, label: t(`board:flag.${o}`, { defaultValue: o }) }))} data-testid="filter-flag" />
        <Select allowClear placeholder={t('common.channels')} style={{ width: 120 }} value={filter.channel || undefined}
          onChange={(v?: string) => setFilter({ ...filter, channel: v ?? '' })}
          options={f.channels.map((o) => ({ value: o, label: o }))} />
        <Space size={4}><Switch size="small" checked={filter.breached} onChange={(v) => setFilter({ ...filter, breached: v })} />{t('board:breached')}</Space>
        <Space size={4}><Switch size="small" checked={filter.regulator} onChange={(v) => setFilter({ ...filter, regulator: v })} data-testid="filter-regulator" />{t('board:regulator')}</Space>
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
        <Typography.Text type="secondary" data-testid="board-total">{t('board:total', { n: shown.length })}</Typography.Text>
      </Space>
      {list.error && <Alert type="error" showIcon message={list.error} action={<Button size="small" onClick={list.reload}>{t('common.retry')}</Button>} />}
      <div className="board-columns">
        {groups.map((g) => (
          <Column
            key={g.id}
            id={g.id}
            title={groupTitle(g.id)}
            color={LEVEL_COLORS[g.id] ?? '#597ef7'}
            cards={g.cards}
            total={g.cards.length}
            now={now}
            selectedId={selected}
            onOpen={open}
            onSelect={setSelected}
            onDrop={canMove && g.target !== undefined ? (id) => askMove(id, groupBy === 'owner' ? 'owner' : 'level', g.target) : undefined}
          />
        ))}
      </div>
      <MoveDialog
        request={move}
        owners={f.owners}
        onClose={() => setMove(undefined)}
        onSubmit={async (req, target, reason) => {
          if (req.kind === 'level') await board.setLevel(req.caseId, Number(target), reason);
          else await board.assign(req.caseId, String(target), reason);
          list.reload();
        }}
      />
    </div>
  );
}

export type { CaseSummary };
