// useAsync runs a loader, keeps its result, error and loading state, and reloads on demand or when deps change.
// A stale response (deps changed while a call was in flight) is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api';

export interface Async<T> {
  data: T | undefined;
  error: string;
  loading: boolean;
  reload: () => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    run().then(
      (v) => {
        if (mine !== seq.current) return;
        setData(v);
        setError('');
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(errorText(e));
        setLoading(false);
      },
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { data, error, loading, reload };
}
