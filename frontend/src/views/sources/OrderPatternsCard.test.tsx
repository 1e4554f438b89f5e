import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { orderPatterns, type OrderPatterns } from '../../api';
import OrderPatternsCard from './OrderPatternsCard';

const builtin: OrderPatterns = {
  custom: false,
  patterns: [{ platform: 'pdd', regexp: '\\b(\\d{6}-\\d{15})\\b' }, { platform: 'jd', regexp: '(?i)(?:京东|JD)[^0-9\\n]{0,12}?(\\d{10,13})\\b' }],
  defaults: [{ platform: 'pdd', regexp: '\\b(\\d{6}-\\d{15})\\b' }, { platform: 'jd', regexp: '(?i)(?:京东|JD)[^0-9\\n]{0,12}?(\\d{10,13})\\b' }],
};

describe('OrderPatternsCard', () => {
  beforeEach(() => {
    vi.restoreAllMocks();
    vi.spyOn(orderPatterns, 'get').mockResolvedValue(builtin);
    vi.spyOn(orderPatterns, 'save').mockResolvedValue(undefined);
    vi.spyOn(orderPatterns, 'test').mockResolvedValue([{ no: 'SH20261125', platform: 'shop' }]);
  });

  it('adds a pattern, moves it first, tries it on a sample and saves the list in its new order', async () => {
    render(<OrderPatternsCard canEdit />);
    await waitFor(() => expect(screen.getByTestId('pattern-platform-1')).toBeTruthy());
    const save = screen.getByTestId('patterns-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing changed yet
    fireEvent.click(screen.getByTestId('pattern-add'));
    fireEvent.change(screen.getByTestId('pattern-platform-2'), { target: { value: 'shop ' } });
    fireEvent.change(screen.getByTestId('pattern-regexp-2'), { target: { value: '商城单号\\s*(SH\\d{8})' } });
    fireEvent.click(screen.getAllByRole('button', { name: 'Move up' })[2]!);
    fireEvent.click(screen.getAllByRole('button', { name: 'Move up' })[1]!);
    fireEvent.change(screen.getByTestId('patterns-sample'), { target: { value: '商城单号 SH20261125 还没到' } });
    fireEvent.click(screen.getByTestId('patterns-try'));
    const edited = [{ platform: 'shop', regexp: '商城单号\\s*(SH\\d{8})' }, ...builtin.patterns];
    await waitFor(() => expect(orderPatterns.test).toHaveBeenCalledWith(edited, '商城单号 SH20261125 还没到'));
    await waitFor(() => expect(screen.getByTestId('patterns-found').textContent).toContain('shop: SH20261125'));
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(orderPatterns.save).toHaveBeenCalledWith(edited));
  }, 90_000);

  it('shows the error the backend gives for a pattern it refuses', async () => {
    vi.spyOn(orderPatterns, 'save').mockRejectedValue('order pattern "shop": needs a capture group for the number');
    render(<OrderPatternsCard canEdit />);
    await waitFor(() => expect(screen.getByTestId('pattern-delete-1')).toBeTruthy());
    fireEvent.click(screen.getByTestId('pattern-delete-1'));
    fireEvent.click(screen.getByTestId('patterns-save'));
    await waitFor(() => expect(screen.getByTestId('patterns-error').textContent).toContain('needs a capture group'));
    expect(orderPatterns.save).toHaveBeenCalledWith([builtin.patterns[0]]);
  }, 90_000);

  it('is read-only for a supervisor', async () => {
    render(<OrderPatternsCard canEdit={false} />);
    await waitFor(() => expect(screen.getByTestId('order-patterns').textContent).toContain('pdd'));
    expect(screen.queryByTestId('pattern-add')).toBeNull();
    expect(screen.queryByTestId('patterns-save')).toBeNull();
    expect(screen.queryByTestId('pattern-platform-0')).toBeNull();
  }, 90_000);
});
