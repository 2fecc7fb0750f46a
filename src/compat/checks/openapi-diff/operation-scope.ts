import type { ChangeSink } from './change.js';
import type { Json } from './loader.js';

/** One operation present in both documents, with what every walker needs to report on it. */
export interface OperationPair {
  sink: ChangeSink;
  /** `GET`, `POST`… */
  operation: string;
  path: string;
  old: Json;
  new: Json;
  /** Path-item level parameters, which an operation inherits unless it redefines them. */
  oldPathItem: Json;
  newPathItem: Json;
  oldRefs: WeakMap<object, string>;
  newRefs: WeakMap<object, string>;
  /** Today, `YYYY-MM-DD`, to tell a sunset date that has passed from one still ahead. */
  today: string;
}

/**
 * Whether removing something deprecated is allowed today, per oasdiff: not deprecated →
 * `without-deprecation`; deprecated with an `x-sunset` date still ahead → `before-sunset`; an
 * unreadable date → `sunset-parse`; deprecated with no sunset or one that has passed → allowed.
 */
export function removalVerdict(item: Json, today: string): 'without-deprecation' | 'before-sunset' | 'sunset-parse' | 'allowed' {
  if (item.deprecated !== true) return 'without-deprecation';
  const sunset = item['x-sunset'];
  if (sunset === undefined) return 'allowed';
  const date = sunset instanceof Date ? sunset.toISOString().slice(0, 10) : String(sunset);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'sunset-parse';
  return date > today ? 'before-sunset' : 'allowed';
}
