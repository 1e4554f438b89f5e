import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import HoverTip from './HoverTip';

describe('HoverTip', () => {
  it('renders only its child until hovered, then shows the tooltip and keeps the child’s own handler', async () => {
    let entered = 0;
    render(
      <HoverTip title="why this clock">
        <span data-testid="target" onMouseEnter={() => entered++}>⏱ 2h left</span>
      </HoverTip>,
    );
    expect(document.querySelector('.ant-tooltip')).toBeNull();
    fireEvent.mouseEnter(screen.getByTestId('target'));
    expect(await screen.findByText('why this clock')).toBeTruthy();
    expect(entered).toBe(1);
    expect(screen.getByTestId('target').textContent).toBe('⏱ 2h left');
  });
});
