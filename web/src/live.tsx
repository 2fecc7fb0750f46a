import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { followEvents, type FactoryEvent, type StreamStatus } from './api/events';
import { useSession } from './session';

type Listener = (event: FactoryEvent) => void;

interface Live {
  status: StreamStatus;
  subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<Live | undefined>(undefined);

/** One event stream for the whole page; views subscribe to what they show. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const listeners = useRef(new Set<Listener>());
  useEffect(() => {
    const controller = new AbortController();
    void followEvents({ token, signal: controller.signal, onStatus: setStatus, onEvent: (event) => listeners.current.forEach((l) => l(event)) });
    return () => controller.abort();
  }, [token]);
  const subscribe = (listener: Listener) => {
    listeners.current.add(listener);
    return () => listeners.current.delete(listener);
  };
  return <LiveContext.Provider value={{ status, subscribe }}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): StreamStatus {
  return useContext(LiveContext)?.status ?? 'connecting';
}

/** Calls `listener` for every event `matches` accepts (and for a reset, which means "reload all"). */
export function useEvents(matches: (event: FactoryEvent) => boolean, listener: Listener): void {
  const live = useContext(LiveContext);
  const latest = useRef({ matches, listener });
  latest.current = { matches, listener };
  useEffect(() => live?.subscribe((event) => {
    if (event.type === 'reset' || latest.current.matches(event)) latest.current.listener(event);
  }), [live]);
}
