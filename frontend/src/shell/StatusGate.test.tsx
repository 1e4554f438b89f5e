import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { system } from '../api';
import StatusGate, { hintFor } from './StatusGate';
import i18n from '../i18n';

const closed = { version: 'v1', dataDir: '/d', open: false, error: 'store: database is locked by another instance', zone: 'Asia/Shanghai', demo: false };

describe('StatusGate', () => {
  it.each([
    ['database is locked', 'status.hintLocked'],
    ['file is not a database', 'status.hintCorrupt'],
    ['open /x: permission denied', 'status.hintReadOnly'],
    ['something else', ''],
  ])('hint for %s', (err, want) => expect(hintFor(err)).toBe(want));

  it('shows the store error with its hint and opens the demo', async () => {
    await i18n.changeLanguage('en');
    const opened = { ...closed, open: true, error: '', demo: true };
    vi.mocked(system.openDemo).mockResolvedValue(opened);
    const onStatus = vi.fn();
    render(<StatusGate status={closed} loadError="" onStatus={onStatus} onRetry={() => undefined} />);
    expect(screen.getByTestId('store-error').textContent).toContain('locked by another instance');
    expect(screen.getByTestId('store-error').textContent).toContain('Another Cockpit is using this data directory');
    fireEvent.click(screen.getByText('Open demo workspace'));
    await waitFor(() => expect(onStatus).toHaveBeenCalledWith(opened));
  });
});
