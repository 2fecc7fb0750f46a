/**
 * A version scheme: how one ecosystem orders its versions and reads its range syntax.
 * Implementations live in one folder each (npm/, pypi/, maven/, …) and are registered in
 * index.ts; every implementation passes the shared contract suite (version-scheme.contract.ts) and the
 * version-order fixtures of its ecosystem.
 */
export interface VersionScheme {
  /** OSV ecosystem name this scheme serves, e.g. `npm`, `PyPI`, `Maven`. */
  readonly ecosystem: string;
  /**
   * Whether the string is a version this ecosystem can order (lenient where the ecosystem's tools
   * are, and where OSV data needs it: a `v` prefix on SemVer, PyPI legacy versions, 30-digit
   * numbers). Surrounding whitespace is ignored; the empty string is never valid.
   * `isValid(v)` is true exactly when `compare(v, v)` does not throw.
   */
  isValid(version: string): boolean;
  /**
   * -1, 0 or 1. Total on valid versions; invalid input throws UfError('parse_error').
   * 0 means "the same version" in the ecosystem's eyes (`1.0` and `1.0.0` in PyPI, Maven, NuGet),
   * not equal strings.
   */
  compare(a: string, b: string): -1 | 0 | 1;
  /**
   * Whether a version satisfies a range in the ecosystem's own syntax (npm `^1.2.0 || 2.x`,
   * PEP 440 `>=1.0,<2`, Maven `[1.0,2.0)`, RubyGems `~> 2.3`, …), with the ecosystem tool's own
   * semantics, pre-release rules included (npm, Cargo and pip leave out pre-releases a range does
   * not name; Composer normalises both sides first). Each scheme documents its rules where it is
   * defined. Invalid version or range: UfError('parse_error').
   */
  satisfies(version: string, range: string): boolean;
}
