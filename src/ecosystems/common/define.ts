import type { VersionScheme } from '../types.js';
import type { Order } from './digits.js';
import { invalidVersion } from './errors.js';

export interface SchemeParts<V> {
  ecosystem: string;
  /** The parsed form, or undefined when the string is not a version of this ecosystem. */
  parse(version: string): V | undefined;
  order(a: V, b: V): Order;
  /** Called with an already parsed version; throws UfError('parse_error') for a bad range. */
  satisfies(version: V, range: string): boolean;
  /** The major of an already parsed version (see VersionScheme.major). */
  major(version: V): string | undefined;
  /** Whether an already parsed version is a pre-release (see VersionScheme.isPrerelease). */
  isPrerelease(version: V): boolean;
}

/** Builds a VersionScheme whose methods all agree on one parser. */
export function defineScheme<V>(parts: SchemeParts<V>): VersionScheme {
  const parseOrThrow = (version: string): V => {
    const parsed = parts.parse(version);
    if (parsed === undefined) throw invalidVersion(parts.ecosystem, version);
    return parsed;
  };
  return {
    ecosystem: parts.ecosystem,
    isValid: (version) => parts.parse(version) !== undefined,
    compare: (a, b) => parts.order(parseOrThrow(a), parseOrThrow(b)),
    satisfies: (version, range) => parts.satisfies(parseOrThrow(version), range),
    major: (version) => parts.major(parseOrThrow(version)),
    isPrerelease: (version) => parts.isPrerelease(parseOrThrow(version)),
  };
}
