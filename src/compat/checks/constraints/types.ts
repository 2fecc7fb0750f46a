import type { CellFinding, ConsumerKind } from '../../types.js';

/**
 * What a manifest says about another package's versions. Each family has a stable pair of rule ids,
 * `<family>-excludes-target` (error) and `<family>-satisfied` (info), except where rules.ts says otherwise.
 */
export type ConstraintFamily =
  | 'peer-range'
  | 'engine-range'
  | 'dependency-range'
  | 'require'
  | 'conflict'
  | 'requires-dist'
  | 'requires-python'
  | 'requirement'
  | 'maven-range'
  | 'maven-soft-version'
  | 'gem-dependency'
  | 'wp-requires-at-least'
  | 'wp-tested-up-to';

/** The ecosystems whose range syntax a manifest is written in; the scheme that evaluates its constraints. */
export type RangeSyntax = 'npm' | 'Packagist' | 'PyPI' | 'Maven' | 'RubyGems';

/** One declared constraint on one package, as read from a manifest. */
export interface DeclaredConstraint {
  family: ConstraintFamily;
  /** The package constrained, as written (`react`, `drupal/core`, `org.slf4j:slf4j-api`, `node`, `php`). */
  on: string;
  /** The range in the manifest's own syntax. */
  range: string;
  syntax: RangeSyntax;
  /**
   * A runtime or platform (npm `engines`, Composer `php`/`ext-*`, `Requires-Python`, WordPress
   * headers): matched by name alone, whatever ecosystem the upgraded component is filed under.
   */
  platform: boolean;
  /** The package that declares it (the manifest's own name, or a locked package's). */
  declaredBy: string;
  file: string;
  line?: number;
  /** A PEP 508 marker that cannot be decided here, kept so the finding shows it. */
  marker?: string;
  /** Why the constraint does not apply (`extra == "test"`): reported as info, never evaluated. */
  inactiveBecause?: string;
}

/** A package recorded in a lockfile, with the constraints it declares on others. */
export interface LockedPackage {
  name: string;
  version?: string;
  kind: Exclude<ConsumerKind, 'service'>;
  constraints: DeclaredConstraint[];
}

export type ManifestFormat =
  | 'package.json'
  | 'package-lock.json'
  | 'composer.json'
  | 'composer.lock'
  | 'Gemfile.lock'
  | 'METADATA'
  | 'requirements.txt'
  | 'pom.xml'
  | 'wordpress-header';

/** Everything one manifest declares. */
export interface ManifestDeclarations {
  format: ManifestFormat;
  file: string;
  /** The manifest's own package, when it names one. */
  name?: string;
  version?: string;
  /** The root's own constraints (a lockfile's root entry or DEPENDENCIES section, when it has one). */
  root: DeclaredConstraint[];
  /** Lockfiles only: every locked package. */
  packages: LockedPackage[];
  /** What the reader saw but could not turn into a constraint, about package `on` (shown when `on` is upgraded). */
  notes?: ManifestNote[];
}

export interface ManifestNote extends CellFinding {
  on: string;
}
