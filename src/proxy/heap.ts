import v8 from 'node:v8';

/**
 * V8 flags of every router process and thread. A router makes about 14 KB of short-lived garbage
 * per request. After a busy spell and a pause, V8 shrinks the young generation to 1 MB; when load
 * comes back, the router then scavenges every 6–8 ms (about 1 ms each) while it slowly grows
 * again, and that pause lands in the p99: 3.9–4.2 ms at 30 % of capacity in bench:proxy, against
 * 1.6–2.2 ms with a floor of 16 MB per semi-space. V8 sizes a heap when it creates it: the flag
 * set at run time does not change the running one (measured), so `uf proxy` gives it to the
 * worker processes it forks, and `uf serve` sets it before it starts a router's worker thread.
 * It reserves up to 32 MB of address space per router, touched as it fills.
 */
export const routerNodeFlags = ['--min-semi-space-size=16'];

/** Makes every V8 heap created from now on in this process (worker threads) take the router's flags. */
export function applyRouterFlagsToNewThreads(): void {
  for (const flag of routerNodeFlags) v8.setFlagsFromString(flag);
}
