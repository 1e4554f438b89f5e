import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { replies, type Finding } from '../../api';
import i18n from '../../i18n';
import ReplyPanel from './ReplyPanel';

const finding: Finding = { rule: 'wait', category: 'stalling', start: 4, end: 6, text: '稍等', zh: '让客户等待，显得推诿', en: 'Makes the customer wait', source: '手册 §4' };

describe('ReplyPanel', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    vi.mocked(replies.scripts).mockResolvedValue([
      { id: 1, key: 'apology.quality', category: 'apology', lang: 'en', title: 'Quality apology', body: 'We are sorry about the product.', source: 'manual', default: true, updatedAt: '', updatedBy: '' },
    ]);
    vi.mocked(replies.check).mockImplementation(async (text: string) => (text.includes('稍等') ? [finding] : []));
    vi.mocked(replies.record).mockReset();
  });

  it('uses a script, then flags 稍等 with its explanation and blocks recording until overridden', async () => {
    const onRecorded = vi.fn();
    render(<ReplyPanel caseId={7} onRecorded={onRecorded} />);
    fireEvent.click(await screen.findByText('Use'));
    const box = screen.getByTestId('reply-text') as HTMLTextAreaElement;
    expect(box.value).toBe('We are sorry about the product.');
    fireEvent.change(box, { target: { value: '您好，请稍等，我们查一下' } });
    const warning = await screen.findByTestId('forbidden-warning', {}, { timeout: 3000 });
    expect(warning.textContent).toContain('Makes the customer wait');
    expect(warning.querySelector('mark.forbidden')?.textContent).toBe('稍等');
    const record = screen.getByTestId('reply-record') as HTMLButtonElement;
    expect(record.disabled).toBe(true);
    fireEvent.click(screen.getByText(/I confirm recording it anyway/));
    vi.mocked(replies.record).mockResolvedValue({ recorded: true, eventId: 99, findings: [finding] });
    await act(async () => { fireEvent.click(record); });
    expect(replies.record).toHaveBeenCalledWith({ caseId: 7, body: '您好，请稍等，我们查一下', channel: 'email', scriptKey: 'apology.quality', override: true });
    await waitFor(() => expect(onRecorded).toHaveBeenCalled());
  });

  it('a clean draft records without override', async () => {
    vi.mocked(replies.record).mockResolvedValue({ recorded: true, eventId: 5, findings: [] });
    render(<ReplyPanel caseId={3} onRecorded={() => undefined} />);
    fireEvent.change(screen.getByTestId('reply-text'), { target: { value: 'We have refunded your order.' } });
    await act(async () => { fireEvent.click(screen.getByTestId('reply-record')); });
    expect(replies.record).toHaveBeenCalledWith(expect.objectContaining({ caseId: 3, override: false }));
  });
});
