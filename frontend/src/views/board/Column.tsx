// A board column: a virtualised list sized to the column's full count (only the visible cards are in the DOM,
// so 10,000 cards stay fluid); rows not fetched yet show a placeholder and ask for their window.
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Badge, Skeleton } from 'antd';
import type { Card } from '../../api';
import CaseCard, { CARD_HEIGHT } from './CaseCard';

interface Props {
  id: string;
  title: string;
  color: string;
  cards: Card[];
  /** the column's cards under the filter; undefined until the board has answered. */
  count: number | undefined;
  now: number;
  selectedId: number | undefined;
  onOpen: (id: number) => void;
  onSelect: (id: number) => void;
  onNeed: (index: number) => void;
  onDrop: ((caseId: number) => void) | undefined;
}

export default function Column({ id, title, color, cards, count, now, selectedId, onOpen, onSelect, onNeed, onDrop }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);
  // Cards off screen are rendered only once the column has shown its first cards: each of them delayed the
  // first paint of a four-column board, and they only matter once someone scrolls.
  const [overscan, setOverscan] = useState(0);
  const shown = cards.length > 0;
  useEffect(() => {
    if (!shown) return undefined;
    const timer = setTimeout(() => setOverscan(3), 200);
    return () => clearTimeout(timer);
  }, [shown]);
  const virt = useVirtualizer({
    count: count ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT,
    overscan,
    initialRect: { width: 280, height: 600 }, // first paint before the element is measured (and in jsdom)
  });
  const items = virt.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (count !== undefined && lastVisible >= cards.length && cards.length < count) onNeed(lastVisible);
  }, [lastVisible, cards.length, count, onNeed]);
  const selIndex = cards.findIndex((c) => c.case.id === selectedId);
  useEffect(() => {
    if (selIndex >= 0) virt.scrollToIndex(selIndex, { align: 'auto' });
  }, [selIndex, virt]);
  return (
    <div
      className={`board-column${over ? ' board-column-over' : ''}`}
      data-testid={`column-${id}`}
      onDragOver={onDrop && ((e) => { e.preventDefault(); setOver(true); })}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop && ((e) => {
        e.preventDefault();
        setOver(false);
        const caseId = Number(e.dataTransfer.getData('text/x-case-id'));
        if (caseId > 0) onDrop(caseId);
      })}
    >
      <div className="board-column-head" style={{ borderTopColor: color }}>
        <span>{title}</span>
        {count !== undefined && <Badge count={count} overflowCount={999999} showZero color={color} data-testid={`count-${id}`} />}
      </div>
      <div ref={scroller} className="board-column-body">
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((row) => {
            const card = cards[row.index];
            return (
              <div key={card ? card.case.id : `p${row.index}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}>
                {card ? (
                  <CaseCard card={card} now={now} selected={card.case.id === selectedId} onOpen={onOpen} onSelect={onSelect} />
                ) : (
                  <div className="case-card" style={{ height: CARD_HEIGHT - 8 }}><Skeleton active paragraph={{ rows: 2 }} title={false} /></div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
