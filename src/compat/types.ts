/**
 * The compatibility matrix's vocabulary: consumers (rows), checks (columns), cells, and the
 * `CheckRunner` adapter family that fills a cell. Pure types; no I/O.
 */

/** A cell's status. Only `pass` (or a logged waiver) counts towards opening the compat gate. */
export const cellStatuses = ['pass', 'fail', 'skipped', 'error'] as const;
export type CellStatus = (typeof cellStatuses)[number];

/** What a row stands for. */
export const consumerKinds = ['service', 'plugin', 'module', 'theme', 'gem', 'package'] as const;
export type ConsumerKind = (typeof consumerKinds)[number];

/** The tags that make a check run first and stop the rest when it fails (seed step 2's fail-fast paths). */
export const failFastTags = ['auth', 'payment', 'integration'] as const;
export type FailFastTag = (typeof failFastTags)[number];

/**
 * A row of the matrix: a service that uses the upgraded component, or an extension (plugin, module,
 * theme, gem, package) declared in the config or discovered from a manifest, with the service it
 * belongs to.
 */
export interface Consumer {
  /** Unique within the matrix: the service name, or `service/extension` for an extension. */
  id: string;
  kind: ConsumerKind;
  /** The service this row belongs to (itself for a service row). */
  service: string;
  /** The extension's own name, when the row is an extension. */
  name: string;
  /** Manifest files declaring the consumer's constraints (package.json, composer.json, Gemfile.lock, METADATA, pom.xml), absolute. */
  manifests: string[];
  /** Where the row came from: `service map`, `config`, or the manifest it was discovered in. */
  source: string;
}

/** The component the upgrade moves, as a check sees it (one per member of a release-group upgrade). */
export interface TargetComponent {
  ecosystem: string;
  name: string;
  fromVersions: string[];
  targetVersion: string;
}

/** What a check is asked to do for one cell; the spec is the check's own settings, resolved at planning time. */
export interface CheckRequest<Spec = unknown> {
  checkId: string;
  kind: string;
  spec: Spec;
  upgradeId: string;
  components: TargetComponent[];
  consumer: Consumer;
  /** The config file's folder: relative paths in the spec resolve against it. */
  baseDir: string;
  /** Aborted when the job's lease is lost or the worker stops: the runner stops and its result is thrown away. */
  signal: AbortSignal;
}

/** A finding a check reports inside its cell (a constraint, an API change, a migration rule hit). */
export interface CellFinding {
  /** Stable id: the rule or change id (`request-parameter-removed`, `adding-not-nullable-field`, `peer-range-excludes-target`). */
  ruleId: string;
  level: 'error' | 'warning' | 'info';
  text: string;
  /** Where: `file:line`, an operation, a constraint's manifest. */
  location?: string;
}

/** A check's result for one cell, before the queue stamps timing and attempts. */
export interface CheckOutcome {
  status: CellStatus;
  /** One line a person reads in the matrix: why it passed, failed, was skipped or could not run. */
  summary: string;
  /** The rule that decided the cell, when one did. */
  ruleId?: string;
  findings?: CellFinding[];
  /** Commands' exit code; null when killed by a signal or timeout. */
  exitCode?: number | null;
  /** Kept as evidence, each cut to the check's output limit (the cut is marked). */
  stdout?: string;
  stderr?: string;
  /** Anything else worth keeping (load-probe metrics, the constraint evaluated). JSON-serialisable. */
  details?: Record<string, unknown>;
}

/**
 * The adapter that fills a cell. One per check kind (constraints, openapi-diff, migration-lint,
 * command, load-probe), registered in `compat/checks/registry.ts`; each passes
 * `check-runner.contract.ts`. A runner never throws for a bad consumer or input: it answers an
 * `error` outcome naming the file or field; it throws only on a programming error.
 */
export interface CheckRunner<Spec = unknown> {
  readonly kind: string;
  run(request: CheckRequest<Spec>): Promise<CheckOutcome>;
}
