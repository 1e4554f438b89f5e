import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { evidenceApi, type EvidenceItem } from '../../api/legal';
import i18n from '../../i18n';
import { WorkspaceContext } from '../../shell/workspace';
import type { CaseSummary } from '../../api';
import EvidenceTab from './EvidenceTab';

// The Go services do not run under Vitest; the evidence api module is replaced here (the backend itself is
// tested in backend/evidence and app/legal_test.go against a real store).
vi.mock('../../api/legal', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../api/legal')>();
  return {
    ...real,
    evidenceApi: {
      list: vi.fn(), add: vi.fn(), collect: vi.fn(), preview: vi.fn(), custody: vi.fn(), redact: vi.fn(), verify: vi.fn(), saveCopy: vi.fn(), exportZip: vi.fn(),
    },
  };
});

const item = (id: number, filename: string, extra: Partial<EvidenceItem> = {}): EvidenceItem => ({
  id, sha256: `${id}`.repeat(64).slice(0, 64), size: 2048, content_type: 'message/rfc822', kind: 'email', source: `raw_item:${id}`,
  filename, captured_by: 'li.legal', captured_at: '2026-09-29T02:00:00.000Z', ...extra,
});

const summary = { id: 1, title: '奶粉结块' } as CaseSummary;

function renderTab(role: 'supervisor' | 'legal') {
  return render(
    <WorkspaceContext.Provider value={{ status: { version: '', dataDir: '', open: true, error: '', zone: 'Asia/Shanghai', demo: false }, zone: 'Asia/Shanghai', role }}>
      <EvidenceTab caseId={1} summary={summary} onChanged={() => undefined} />
    </WorkspaceContext.Provider>,
  );
}

describe('EvidenceTab', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    vi.mocked(evidenceApi.list).mockResolvedValue([item(1, 'complaint.eml'), item(2, 'complaint.redacted.txt', { kind: 'redacted', derived_from: 1, content_type: 'text/plain' })]);
  });

  it('lists originals with hashes and hides the export from supervisors', async () => {
    renderTab('supervisor');
    await screen.findByText('complaint.eml');
    expect(screen.getByText('Redacted from E1')).toBeTruthy();
    expect(screen.queryByTestId('evidence-export')).toBeNull();
  });

  it('reports exactly the tampered items after verify', async () => {
    vi.mocked(evidenceApi.verify).mockResolvedValue({
      items: 2, entries: 5,
      problems: [{ kind: 'file_changed', item_id: 1, filename: 'complaint.eml', sha256: '1'.repeat(64), detail: 'content changed' }],
    });
    renderTab('legal');
    await screen.findByText('complaint.eml');
    expect(screen.getByTestId('evidence-export')).toBeTruthy();
    fireEvent.click(screen.getByTestId('evidence-verify'));
    const report = await screen.findByTestId('verify-report');
    expect(report.textContent).toContain('1 problem(s) found');
    expect(report.textContent).toContain('File changed');
    expect(report.textContent).toContain('E1 complaint.eml');
  });

  it('previews a message with the custody log', async () => {
    vi.mocked(evidenceApi.preview).mockResolvedValue({
      item_id: 1, kind: 'email', content_type: 'message/rfc822', filename: 'complaint.eml', truncated: false, masked: true,
      email: { from: '王小明 <w*****@example.com>', to: 'service@shop.example', subject: '奶粉结块 过敏投诉', date: '2026-09-29T02:15:00Z', message_id: 'c1', body: '电话 138****5678', attachments: ['photo.png'] },
    });
    vi.mocked(evidenceApi.custody).mockResolvedValue([
      { id: 1, item_id: 1, seq: 1, at: '2026-09-29T02:00:00.000Z', actor: 'li.legal', action: 'captured', detail: '{}', prev_hash: '', hash: 'a'.repeat(64) },
      { id: 2, item_id: 1, seq: 2, at: '2026-09-29T03:00:00.000Z', actor: 'zhang.sup', action: 'viewed', detail: '{}', prev_hash: 'a'.repeat(64), hash: 'b'.repeat(64) },
    ]);
    renderTab('supervisor');
    fireEvent.click(await screen.findByTestId('evidence-open-1'));
    const mail = await screen.findByTestId('preview-email');
    expect(mail.textContent).toContain('138****5678');
    expect(screen.getByText('Customer contact data hidden for your role')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('custody-log').textContent).toContain('Viewed'));
  });
});
