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
  /**
   * The version's major, for policies such as "stay within the major in use": the first release
   * number as the ecosystem reads it (digits without leading zeros, `1.0` and `01.0` both `1`),
   * prefixed by a non-zero epoch as the ecosystem spells it (PyPI `1!2`, Debian `1:2`), because an
   * epoch restarts the numbering. A string, not a number: ecosystems allow numbers past 2^53.
   * Two versions are in the same major exactly when both majors are defined and equal. Undefined
   * when the ecosystem gives the version no number to stand for (PyPI legacy versions, Composer
   * branches `dev-main`, a Maven version that starts with a qualifier, a Debian upstream version
   * that does not start with a digit). Invalid input: UfError('parse_error').
   */
  major(version: string): string | undefined;
  /**
   * Whether the ecosystem's own tooling calls the version a pre-release: SemVer pre-release
   * identifiers (npm, crates.io, NuGet, Go, whose pseudo-versions are pre-releases); PEP 440 pre and
   * dev releases, not post releases (PyPI); Maven's alpha, beta, milestone, rc/cr and snapshot
   * qualifiers; any letter segment (RubyGems); Composer's dev, alpha, beta and RC stability
   * (Packagist); a `~` in the upstream version (Debian, whose policy uses it for pre-releases).
   * Where the scheme defines a pre-release of X, it orders below X. Each scheme documents its rule.
   * Invalid input: UfError('parse_error').
   */
  isPrerelease(version: string): boolean;
}
