import { useCallback, useEffect, useRef, useState } from 'react';
import type { FactoryEvent } from './api/events';
import { useEvents } from './live';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads with `load`, again when `deps` change, and again (coalesced, at most one in flight) on every
 * event `refreshOn` accepts: what the page shows follows the server without a manual refresh.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], refreshOn: (event: FactoryEvent) => boolean = () => false): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const inFlight = useRef(false);
  const again = useRef(false);
  const loader = useRef(load);
  loader.current = load;

  const run = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    const mine = generation.current;
    loader
      .current()
      .then((data) => {
        if (mine === generation.current) setState({ data, error: undefined, loading: false });
      })
      .catch((error: unknown) => {
        if (mine === generation.current) setState((s) => ({ data: s.data, error: error as Error, loading: false }));
      })
      .finally(() => {
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          run();
        }
      });
  }, []);

  useEffect(() => {
    generation.current++;
    inFlight.current = false;
    setState((s) => ({ ...s, loading: true }));
    run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEvents(refreshOn, run);
  return { ...state, reload: run };
}
