// Grouping and filtering of the board's cards. Pure functions so they are tested without a DOM.
import type { CaseSummary } from '../../api';
import { nearestClock, urgency } from './clock';

export type GroupBy = 'level' | 'status' | 'owner';

export interface BoardFilter {
  owner: string; // '' any, '-' unassigned
  type: string;
  flag: string;
  channel: string;
  breached: boolean;
  regulator: boolean;
}

export const emptyFilter: BoardFilter = { owner: '', type: '', flag: '', channel: '', breached: false, regulator: false };

export function matches(c: CaseSummary, f: BoardFilter, now: number): boolean {
  if (f.owner === '-' ? c.owner !== '' : f.owner && c.owner !== f.owner) return false;
  if (f.type && c.type !== f.type) return false;
  if (f.flag && !(c.flags ?? []).some((x) => x.name === f.flag)) return false;
  if (f.channel && !(c.channels ?? []).includes(f.channel)) return false;
  if (f.regulator && !c.is_regulator) return false;
  if (f.breached && urgency(nearestClock(c.deadlines), now) !== 'breached') return false;
  return true;
}

export interface Group {
  id: string;
  /** The value a dropped card moves to: a level number or an owner name; undefined = not a drop target. */
  target: number | string | undefined;
  cards: CaseSummary[];
}

const LEVELS = [1, 2, 3, 0];
const STATUSES = ['open', 'pending', 'resolved', 'closed'];

export function groupCases(list: CaseSummary[], by: GroupBy): Group[] {
  if (by === 'level') {
    return LEVELS.map((l) => ({ id: `level-${l}`, target: l === 0 ? undefined : l, cards: list.filter((c) => c.level === l) }));
  }
  if (by === 'status') {
    return STATUSES.map((s) => ({ id: `status-${s}`, target: undefined, cards: list.filter((c) => c.status === s) }));
  }
  const owners = [...new Set(list.map((c) => c.owner))].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  return owners.map((o) => ({ id: `owner-${o || '-'}`, target: o || undefined, cards: list.filter((c) => c.owner === o) }));
}

/** distinct values for the filter drop-downs. */
export function facets(list: CaseSummary[]) {
  const owners = new Set<string>(), types = new Set<string>(), flags = new Set<string>(), channels = new Set<string>();
  for (const c of list) {
    if (c.owner) owners.add(c.owner);
    if (c.type) types.add(c.type);
    (c.flags ?? []).forEach((f) => flags.add(f.name));
    (c.channels ?? []).forEach((ch) => channels.add(ch));
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { owners: sorted(owners), types: sorted(types), flags: sorted(flags), channels: sorted(channels) };
}
