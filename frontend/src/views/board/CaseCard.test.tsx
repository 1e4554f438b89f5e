import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import type { Card } from '../../api';
import i18n from '../../i18n';
import CaseCard from './CaseCard';

const base: Card = {
  case: {
    id: 7, title: '快递显示签收但没收到', level: 3, type: 'logistics', subtype: 'not_received', flags: [], status: 'open',
    owner: '', owner_id: 0, customer: '李*', customer_email: 'l***@example.com', order_no: 'JD7', channels: ['email'],
    message_count: 1, deadlines: [], incident_id: 0, is_regulator: false, work_order_no: '',
    opened_at: '2026-06-18T00:00:00Z', last_activity: '2026-06-18T00:00:00Z',
  },
};

const noop = () => undefined;

describe('CaseCard', () => {
  it('shows how much evidence the checklists still lack, in the chosen language', async () => {
    await i18n.changeLanguage('zh-CN');
    const card: Card = { ...base, missing: [{ code: 'signing', zh: '签收底单', en: 'Signed delivery receipt' }] };
    render(<CaseCard card={card} now={Date.parse('2026-06-18T01:00:00Z')} selected={false} onOpen={noop} onSelect={noop} />);
    expect(screen.getByTestId('missing-evidence').textContent).toBe('缺证据 1');
  });

  it('shows no evidence tag when nothing is missing', async () => {
    await i18n.changeLanguage('en');
    render(<CaseCard card={base} now={Date.parse('2026-06-18T01:00:00Z')} selected={false} onOpen={noop} onSelect={noop} />);
    expect(screen.queryByTestId('missing-evidence')).toBeNull();
  });
});
