// Tabs of the case workspace that other features add (evidence, regulator filing, compensation...).
// A feature registers its tab here with the component that fills it; until it does, the case workspace shows a
// short note saying which part of the product brings it (no button that leads nowhere).
import type { ComponentType } from 'react';
import type { CaseSummary } from '../api';
import CompensationTab from './approvals/CompensationTab';
import EvidenceTab from './evidence/EvidenceTab';
import FilingTab from './filings/FilingTab';

export interface CaseTabProps {
  caseId: number;
  summary: CaseSummary;
  /** call after a change that alters the case header or timeline. */
  onChanged: () => void;
}

export interface CaseTabDef {
  key: 'evidence' | 'filing' | 'compensation' | string;
  /** i18n key of the tab title, `namespace:key`. */
  label: string;
  component: ComponentType<CaseTabProps>;
}

/** Registered tabs, in display order. */
export const caseTabs: CaseTabDef[] = [
  { key: 'evidence', label: 'case:tab.evidence', component: EvidenceTab },
  { key: 'filing', label: 'case:tab.filing', component: FilingTab },
  { key: 'compensation', label: 'case:tab.compensation', component: CompensationTab },
];

/** Tabs the workspace always shows; those not registered above show the "coming with" note. */
export const expectedCaseTabs: { key: string; label: string }[] = [
  { key: 'evidence', label: 'case:tab.evidence' },
  { key: 'filing', label: 'case:tab.filing' },
  { key: 'compensation', label: 'case:tab.compensation' },
];
