import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { evidenceApi, filingsApi, type CaseFilings } from '../../api/legal';
import i18n from '../../i18n';
import { WorkspaceContext } from '../../shell/workspace';
import type { CaseSummary } from '../../api';
import FilingTab from './FilingTab';

// The Go services do not run under Vitest; the filings api module is replaced here (the backend is tested in
// backend/filings and app/legal_test.go against a real store and the real holiday calendar).
vi.mock('../../api/legal', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../api/legal')>();
  return {
    ...real,
    evidenceApi: { ...real.evidenceApi, list: vi.fn() },
    filingsApi: {
      get: vi.fn(), scenarios: vi.fn(), applyScenario: vi.fn(), matterTypes: vi.fn(async () => []), createMatter: vi.fn(), link: vi.fn(),
      unlink: vi.fn(), sign: vi.fn(), unsign: vi.fn(), setStatus: vi.fn(), missing: vi.fn(), exportPacket: vi.fn(),
    },
  };
});

const filing: CaseFilings = {
  case_id: 1,
  checklist: [
    { id: 1, case_id: 1, template: 'scenario:allergy', code: 'medical_proof', zh: '医疗证明（病历、诊断书、票据）', en: 'Medical proof (records, diagnosis, receipts)', basis: '3.15', position: 0, evidence_ids: [4], signed_by: 'li.legal', signed_at: '2026-09-29T02:00:00.000Z' },
    { id: 2, case_id: 1, template: 'scenario:allergy', code: 'third_party_test', zh: '第三方检测报告', en: 'Third-party test report', basis: '3.15', position: 1, evidence_ids: [] },
  ],
  states: { 1: 'signed', 2: 'missing' },
  missing: [{ code: 'third_party_test', zh: '第三方检测报告', en: 'Third-party test report' }],
  matters: [{
    id: 7, case_id: 1, type: 'complaint_forwarded', title: '12315投诉转办', regulator: '西湖区市场监督管理局', work_order_no: 'W-1',
    received_at: '2026-09-29T02:00:00.000Z', owner: 'li.legal', status: 'draft',
    rule: { id: 'order121', zh: '121号令', en: 'SAMR Order 121' },
    deadlines: [{ id: 'regulator_accept', zh: '监管部门7个工作日内受理并告知', en: 'Regulator accepts and informs within 7 working days', source: 'CPL Art. 46', confidence: 'H', period: '7 working_days', due_at: '2026-10-14T16:00:00Z', due_date: '2026-10-14', skipped: 8, state: 'open' }],
    items: [], states: {}, missing: [],
  }],
};

function renderTab(role: 'supervisor' | 'legal') {
  return render(
    <WorkspaceContext.Provider value={{ status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role }}>
      <FilingTab caseId={1} summary={{ id: 1 } as CaseSummary} onChanged={() => undefined} />
    </WorkspaceContext.Provider>,
  );
}

describe('FilingTab', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    vi.mocked(filingsApi.get).mockResolvedValue(filing);
    vi.mocked(filingsApi.scenarios).mockResolvedValue([{ name: 'allergy', zh: '过敏/人身伤害', en: 'Allergy or injury', suggested: true }]);
    vi.mocked(evidenceApi.list).mockResolvedValue([]);
  });

  it('shows what is missing, the deadline across the holiday and the legal actions', async () => {
    renderTab('legal');
    expect((await screen.findByTestId('filing-missing')).textContent).toContain('Third-party test report');
    expect(screen.getByTestId('item-state-1').textContent).toBe('Signed');
    expect(screen.getByTestId('item-state-2').textContent).toBe('Missing');
    const dl = screen.getByTestId('deadlines-7').textContent ?? '';
    expect(dl).toContain('due 2026-10-14 24:00');
    expect(dl).toContain('8 rest day(s) skipped');
    fireEvent.click(screen.getByTestId('matter-7-to-ready'));
    await waitFor(() => expect(filingsApi.setStatus).toHaveBeenCalledWith(7, 'ready'));
  });

  it('offers supervisors no sign-off, status or export', async () => {
    renderTab('supervisor');
    await screen.findByTestId('filing-missing');
    expect(screen.queryByTestId('matter-7-to-ready')).toBeNull();
    expect(screen.queryByTestId('packet-export')).toBeNull();
    expect(screen.queryByTestId('matter-new')).toBeNull();
  });
});
