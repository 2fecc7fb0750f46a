import type { Order } from './digits.js';

/** One bound of a bracketed interval such as NuGet's and Maven's `[1.0,2.0)`. */
export interface IntervalBound<V> {
  version: V;
  inclusive: boolean;
}

export interface Interval<V> {
  lower: IntervalBound<V> | undefined;
  upper: IntervalBound<V> | undefined;
}

export interface IntervalSyntax<V> {
  parse(version: string): V | undefined;
  order(a: V, b: V): Order;
  /** Builds the UfError for a malformed interval, with a reason. */
  fail(reason: string): Error;
}

/**
 * Reads one interval: `[1.0]` (exactly), `[1.0,2.0)`, `(,1.0]`, `[1.0,)`. Either bound may be
 * missing, not both; an interval holding no version (`[2.0,1.0]`, `(1.0,1.0]`) is an error, as in
 * NuGet and Maven.
 */
export function parseInterval<V>(text: string, syntax: IntervalSyntax<V>): Interval<V> {
  const open = text[0];
  const close = text[text.length - 1];
  if ((open !== '[' && open !== '(') || (close !== ']' && close !== ')') || text.length < 2) {
    throw syntax.fail(`"${text}" is not an interval like [1.0,2.0)`);
  }
  const inside = text.slice(1, -1).split(',');
  const read = (part: string | undefined, inclusive: boolean): IntervalBound<V> | undefined => {
    const trimmed = (part ?? '').trim();
    if (trimmed === '') return undefined;
    const version = syntax.parse(trimmed);
    if (version === undefined) throw syntax.fail(`"${trimmed}" is not a version`);
    return { version, inclusive };
  };
  if (inside.length === 1) {
    const exact = read(inside[0], true);
    if (exact === undefined || open !== '[' || close !== ']') throw syntax.fail(`"${text}": a single version needs [ ]`);
    return { lower: exact, upper: exact };
  }
  if (inside.length !== 2) throw syntax.fail(`"${text}" has more than two bounds`);
  const lower = read(inside[0], open === '[');
  const upper = read(inside[1], close === ']');
  if (lower === undefined && upper === undefined) throw syntax.fail(`"${text}" has no bound`);
  if (lower !== undefined && upper !== undefined) {
    const order = syntax.order(lower.version, upper.version);
    if (order > 0 || (order === 0 && !(lower.inclusive && upper.inclusive))) throw syntax.fail(`"${text}" holds no version`);
  }
  return { lower, upper };
}

export function inInterval<V>(version: V, interval: Interval<V>, order: (a: V, b: V) => Order): boolean {
  const { lower, upper } = interval;
  if (lower !== undefined) {
    const against = order(version, lower.version);
    if (against < 0 || (against === 0 && !lower.inclusive)) return false;
  }
  if (upper !== undefined) {
    const against = order(version, upper.version);
    if (against > 0 || (against === 0 && !upper.inclusive)) return false;
  }
  return true;
}
