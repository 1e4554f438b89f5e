// Every screen of the app. The side menu is built from this list; add a view by adding its folder under
// src/views/<noun>/ (with a locales.ts) and one entry here. `roles` only hides menu entries: the backend
// enforces who may do what.
import { lazy, type ComponentType, type ReactNode } from 'react';
import {
  AccountBookOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  FileSearchOutlined,
  CloudSyncOutlined,
  ImportOutlined,
  MailOutlined,
  SwapOutlined,
  TeamOutlined,
} from '@ant-design/icons';

// Every view is its own chunk, loaded when first opened, so start-up parses none of them (nor ECharts,
// which only the daily review draws with) before the sign-in form is up. The board, the first screen
// after sign-in, is fetched while that form waits for a password (preloadStartView). App renders the
// view inside a Suspense boundary.
const loadBoard = () => import('./board/BoardView');
const BoardView = lazy(loadBoard);
const CaseView = lazy(() => import('./case/CaseView'));
const ApprovalsView = lazy(() => import('./approvals/ApprovalsView'));
const PeopleView = lazy(() => import('./people/PeopleView'));
const ReviewView = lazy(() => import('./review/ReviewView'));
const ShiftView = lazy(() => import('./shift/ShiftView'));
const ImportsView = lazy(() => import('./imports/ImportsView'));
const LettersView = lazy(() => import('./letters/LettersView'));
const SourcesView = lazy(() => import('./sources/SourcesView'));

export type Role = 'supervisor' | 'legal' | 'manager' | 'admin';

export interface ViewProps {
  /** The part of the route after the view key, e.g. the case id of #/case/42. */
  param: string;
}

export interface ViewDef {
  key: string;
  icon: ReactNode;
  /** i18n key of the menu label, `namespace:key`. */
  label: string;
  component: ComponentType<ViewProps>;
  roles: Role[] | 'all';
  /** false for views reached only by opening something (a case), not from the menu. */
  menu?: boolean;
  /** the letter after "g" that jumps here from anywhere (g b, g s, g r ...). */
  hotkey?: string;
  /**
   * true for a view that may be mounted signed out, behind the sign-in form (views/people/SignInGate), because
   * it loads nothing until the workspace has a user.
   */
  standby?: boolean;
}

export const views: ViewDef[] = [
  { key: 'board', icon: <AppstoreOutlined />, label: 'board:menu', component: BoardView, roles: 'all', hotkey: 'b', standby: true },
  { key: 'case', icon: <FileSearchOutlined />, label: 'case:menu', component: CaseView, roles: 'all', menu: false },
  { key: 'approvals', icon: <AccountBookOutlined />, label: 'approvals:menu', component: ApprovalsView, roles: 'all' },
  { key: 'people', icon: <TeamOutlined />, label: 'people:menu', component: PeopleView, roles: 'all' },
  { key: 'shift', icon: <SwapOutlined />, label: 'shift:menu', component: ShiftView, roles: ['supervisor', 'manager', 'admin'], hotkey: 's' },
  { key: 'imports', icon: <ImportOutlined />, label: 'imports:menu', component: ImportsView, roles: ['supervisor', 'manager', 'legal'] },
  { key: 'letters', icon: <MailOutlined />, label: 'letters:menu', component: LettersView, roles: ['supervisor', 'manager', 'legal'], hotkey: 'l' },
  { key: 'sources', icon: <CloudSyncOutlined />, label: 'sources:menu', component: SourcesView, roles: 'all' },
  { key: 'review', icon: <BarChartOutlined />, label: 'review:menu', component: ReviewView, roles: ['supervisor', 'manager', 'legal', 'admin'], hotkey: 'r' },
];

export function visibleViews(role: Role | undefined): ViewDef[] {
  return views.filter((v) => v.menu !== false && (v.roles === 'all' || role === undefined || v.roles.includes(role)));
}

export const defaultView = 'board';

/** hotkey letter -> view key, for the "g" shortcuts. */
export const hotkeys: Record<string, string> = Object.fromEntries(views.filter((v) => v.hotkey).map((v) => [v.hotkey!, v.key]));

/** Loads the board's chunk ahead of sign-in; called once the sign-in form is on screen. */
export const preloadStartView = (): void => void loadBoard();
