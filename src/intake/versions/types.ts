/**
 * A version scheme: how one ecosystem orders its versions and reads its range syntax.
 * Implementations live in one folder each (npm/, pypi/, maven/, …) and are registered in
 * index.ts; every implementation passes the shared contract suite (contract.ts).
 */
export interface VersionScheme {
  /** OSV ecosystem name this scheme serves, e.g. `npm`, `PyPI`, `Maven`. */
  readonly ecosystem: string;
  /** Whether the string is a version this ecosystem can order (lenient where the ecosystem's tools are). */
  isValid(version: string): boolean;
  /** -1, 0 or 1. Total on valid versions; invalid input throws UfError('parse_error'). */
  compare(a: string, b: string): -1 | 0 | 1;
  /**
   * Whether a version satisfies a range in the ecosystem's own syntax (npm `^1.2.0 || 2.x`,
   * PEP 440 `>=1.0,<2`, Maven `[1.0,2.0)`, RubyGems `~> 2.3`, …). Invalid range: UfError('parse_error').
   */
  satisfies(version: string, range: string): boolean;
}
