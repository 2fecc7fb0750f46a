import type { Node } from 'libpg-query';

/**
 * How bad a finding is: `error` breaks the version still serving during a canary or takes a lock
 * that stalls traffic; `warning` is advice that does neither today (a type that will run out, a
 * domain constraint that makes later changes unsafe). `uf migration lint` exits 1 on an error.
 */
export type MigrationLevel = 'error' | 'warning';

/** Where a statement starts in its file: line and column count from 1, offset from 0 (UTF-16 units). */
export interface StatementLocation {
  file: string;
  line: number;
  column: number;
  offset: number;
}

/** One statement of a migration as PostgreSQL's parser read it, with where it starts. */
export interface MigrationStatement {
  node: Node;
  location: StatementLocation;
  /** The statement's source text, as written (without the trailing semicolon). */
  text: string;
}

/** What a rule reports: the linter adds the statement's location. */
export interface RuleHit {
  /** Stable id: Squawk's where a Squawk rule matches, else one of ours (listed in the README). */
  id: string;
  level: MigrationLevel;
  /** What the statement does to the running version or to traffic, naming the table and column. */
  text: string;
  /** The expand/contract way to reach the same schema without that harm. */
  alternative: string;
}

/** A rule hit placed at its statement. */
export interface MigrationFinding extends RuleHit {
  location: StatementLocation;
  /** The statement's first line, for a reader who does not open the file. */
  statement: string;
}

/** How to read a migration file. */
export interface LintOptions {
  /**
   * The migration tool wraps the whole file in one transaction (as Rails, Django, Flyway and
   * sqitch do by default), so BEGIN/COMMIT in the file nest and CONCURRENTLY cannot work.
   */
  assumeInTransaction?: boolean;
}

/** The findings for one file. */
export interface MigrationLintResult {
  file: string;
  statements: number;
  findings: MigrationFinding[];
}
