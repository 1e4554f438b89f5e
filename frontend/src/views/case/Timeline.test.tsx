import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import type { CaseEvent } from '../../api';
import i18n from '../../i18n';
import Timeline from './Timeline';

const email = (id: number, mailbox?: CaseEvent['mailbox']): CaseEvent => ({
  id, case_id: 1, kind: 'email', channel: 'email', actor: 'c@example.com', occurred_at: '2026-11-25T02:00:00Z',
  summary: `mail ${id}`, body_text: '奶粉结块', ...(mailbox ? { mailbox } : {}),
});

describe('Timeline mailbox state', () => {
  it('shows what the mailbox says: answered, flagged, deleted there (in workspace time)', async () => {
    await i18n.changeLanguage('en');
    render(<Timeline events={[
      email(1, { flags: ['\\Seen', '\\Answered'] }),
      email(2, { flags: ['\\Flagged', '$Forwarded'], removed_at: '2026-11-25T08:30:00Z' }),
      email(3, { flags: ['\\Seen'] }),
      email(4),
    ]} />);
    const items = screen.getAllByTestId('timeline-item');
    expect(items[0]!.textContent).toContain('Answered in the mailbox');
    expect(items[0]!.textContent).not.toContain('Deleted');
    expect(items[1]!.textContent).toContain('Flagged in the mailbox');
    expect(items[1]!.textContent).toContain('Forwarded from the mailbox');
    expect(items[1]!.querySelector('[data-testid="mailbox-removed"]')?.textContent).toBe('Deleted from the mailbox');
    // \Seen alone is not worth a tag; an email without mailbox state (not from IMAP) shows none.
    expect(items[2]!.querySelector('.ant-tag:not(:first-child)')).toBeNull();
    expect(items[3]!.querySelector('[data-testid="mailbox-state"]')).toBeNull();
    // When the sync found it deleted, in the workspace's zone (Asia/Shanghai by default).
    fireEvent.mouseEnter(screen.getByTestId('mailbox-removed'));
    expect(await screen.findByText(/A sync at 2026-11-25 16:30 found this message deleted/)).toBeTruthy();
  });

  it('speaks Chinese by default', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<Timeline events={[email(1, { flags: ['\\Answered'], removed_at: '2026-11-25T08:30:00Z' })]} />);
    expect(screen.getByTestId('mailbox-state').textContent).toBe('邮箱中已回复邮箱中已删除');
  });
});
