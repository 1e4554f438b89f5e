// useAction runs what a button asks of the backend: busy while it runs, the error text kept for the view to
// show (cleared when the next action starts), never an unhandled rejection.
import { useCallback, useState } from 'react';
import { errorText } from '../api';

export interface Action {
  busy: boolean;
  error: string;
  run: (fn: () => Promise<void>) => Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(async (fn: () => Promise<void>) => {
    setError('');
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
