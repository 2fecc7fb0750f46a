/**
 * The versions behind the built-in proxy: stable, the canary, and an optional baseline (a fresh
 * deployment of the old version that gets the canary's share, so the two are compared fairly).
 */
export type Variant = 'stable' | 'canary' | 'baseline';

export const variants: readonly Variant[] = ['stable', 'canary', 'baseline'];

/**
 * Requests that carry this header (or cookie) with exactly this value go to `variant` (the canary
 * unless said otherwise), whatever the weight: for testers and synthetic probes.
 */
export interface OverrideRoute {
  kind: 'header' | 'cookie';
  /** Header or cookie name; header names are matched case-insensitively. */
  name: string;
  value: string;
  variant: Variant;
}

/** Where the sticky-assignment key of a request comes from. */
export type StickySource = { kind: 'header'; name: string } | { kind: 'cookie'; name: string } | { kind: 'ip' };

export interface ProxyTimeouts {
  /** Time to open a TCP connection to an upstream; past it the request is retried or answered 504. */
  connectMs: number;
  /** Time from sending the request to the upstream's response headers; past it, 504. */
  responseMs: number;
  /** Longest silence while a response body streams; past it the client connection is cut. */
  idleMs: number;
  /**
   * End-to-end limit from receiving a request to sending the response headers, whatever the
   * request waits for: a free pool connection, the connect, a retry on stable, the upstream's
   * answer. Past it the client gets 504. connectMs + responseMs when absent.
   */
  deadlineMs?: number;
}

export const defaultTimeouts: ProxyTimeouts = { connectMs: 2_000, responseMs: 30_000, idleMs: 60_000 };

/** The deadline in force: the one given, or connect plus response time. */
export function deadlineOf(timeouts: ProxyTimeouts): number {
  return timeouts.deadlineMs ?? timeouts.connectMs + timeouts.responseMs;
}
