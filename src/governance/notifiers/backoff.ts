/**
 * Exponential backoff with "equal jitter" (AWS architecture blog): the n-th retry waits between half
 * and all of min(max, initial * 2^(n-1)), so receivers coming back up are not hit by every sender
 * at once, and no wait is shorter than half its step. `random` is in [0, 1).
 */
export function backoffMs(retry: number, initialMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
