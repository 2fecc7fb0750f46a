/**
 * Time source. Production code takes a Clock so that tests can use a fixed or stepped one; the
 * wall clock is read here and nowhere else in src/ (`npm run lint` enforces it). Measuring a
 * duration on the data plane uses `performance.now()`, which is no wall-clock read.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that returns a fixed instant, advanced only by `advance`. */
export function fixedClock(start: Date | string): Clock & { advance(ms: number): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
  };
}

/**
 * A clock that moves on by `stepMs` after each reading: the first `now()` is `start`, the next
 * `start + stepMs`, and so on. For code that reads the time several times and must see it pass.
 */
export function steppingClock(start: Date | string, stepMs: number): Clock {
  if (!Number.isFinite(stepMs) || stepMs < 0) throw new RangeError(`a stepping clock's step must be a finite number of milliseconds >= 0, not ${stepMs}`);
  let next = new Date(start).getTime();
  return {
    now: () => {
      const reading = new Date(next);
      next += stepMs;
      return reading;
    },
  };
}
