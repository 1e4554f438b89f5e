// A board column: a virtualised list (only the visible cards are in the DOM, so 10,000 cards stay fluid) that
// accepts dropped cards.
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Badge } from 'antd';
import type { CaseSummary } from '../../api';
import CaseCard, { CARD_HEIGHT } from './CaseCard';

interface Props {
  id: string;
  title: string;
  color: string;
  cards: CaseSummary[];
  total: number;
  now: number;
  selectedId: number | undefined;
  onOpen: (id: number) => void;
  onSelect: (id: number) => void;
  onDrop: ((caseId: number) => void) | undefined;
}

export default function Column({ id, title, color, cards, total, now, selectedId, onOpen, onSelect, onDrop }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);
  const virt = useVirtualizer({
    count: cards.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT,
    overscan: 6,
    initialRect: { width: 280, height: 600 }, // first paint before the element is measured (and in jsdom)
  });
  const selIndex = cards.findIndex((c) => c.id === selectedId);
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
        <Badge count={total} overflowCount={99999} showZero color={color} data-testid={`count-${id}`} />
      </div>
      <div ref={scroller} className="board-column-body">
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {virt.getVirtualItems().map((row) => {
            const c = cards[row.index]!;
            return (
              <div key={c.id} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}>
                <CaseCard c={c} now={now} selected={c.id === selectedId} onOpen={onOpen} onSelect={onSelect} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
