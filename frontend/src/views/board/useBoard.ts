// The board's data: the first window of every column from Board.Get, more windows fetched as a column scrolls
// (Board.Window), refetched (throttled) when the backend announces a change.
import { useCallback, useEffect, useRef, useState } from 'react';
import { board, errorText, subscribe, type Board, type BoardQuery, type Card } from '../../api';

export const WINDOW = 200;

export interface BoardState {
  data: Board | undefined;
  /** loaded cards per column key; may be shorter than the column's count. */
  cards: Record<string, Card[]>;
  error: string;
  loading: boolean;
  reload: () => void;
  /** make sure the cards up to index are loaded for column key. */
  ensure: (key: string, index: number) => void;
}

export const CHANGE_EVENTS = ['board:changed', 'case:moved', 'case:created', 'case:updated', 'cases:changed', 'engine:changed'];

/** live false: signed out (the standby board behind the sign-in form), nothing is loaded. */
export function useBoard(q: BoardQuery, live: boolean): BoardState {
  const [data, setData] = useState<Board>();
  const [cards, setCards] = useState<Record<string, Card[]>>({});
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const inflight = useRef(new Set<string>());
  const cardsRef = useRef(cards);
  cardsRef.current = cards;
  const qRef = useRef(q);
  qRef.current = q;
  const key = JSON.stringify(q);

  const liveRef = useRef(live);
  liveRef.current = live;

  const reload = useCallback(() => {
    if (!liveRef.current) return;
    const mine = ++seq.current;
    setLoading(true);
    board.get(qRef.current).then(
      (b) => {
        if (mine !== seq.current) return;
        inflight.current.clear();
        setData(b);
        setCards(Object.fromEntries((b.columns ?? []).map((c) => [c.key, c.cards ?? []])));
        setError('');
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(errorText(e));
        setLoading(false);
      },
    );
  }, []);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(reload, [key, reload, live]);
  useEffect(() => subscribe(CHANGE_EVENTS, reload), [reload]);

  const ensure = useCallback(
    (col: string, index: number) => {
      const have = cardsRef.current[col]?.length ?? 0;
      const count = data?.columns?.find((c) => c.key === col)?.count ?? 0;
      if (index < have || have >= count) return;
      const tag = `${col}@${have}`;
      if (inflight.current.has(tag)) return;
      inflight.current.add(tag);
      const mine = seq.current;
      board.window(qRef.current, col, have, WINDOW).then(
        (more) => {
          if (mine !== seq.current) return;
          setCards((prev) => ({ ...prev, [col]: [...(prev[col] ?? []).slice(0, have), ...more] }));
        },
        (e: unknown) => {
          inflight.current.delete(tag);
          setError(errorText(e));
        },
      );
    },
    [data],
  );

  return { data, cards, error, loading, reload, ensure };
}
