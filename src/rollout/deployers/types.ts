/**
 * A deployer gets the versions of one upgrade's rollout running: the canary (the new version), an
 * optional fresh baseline (the old version, for a fair comparison), then promotes the canary to
 * stable or removes it. Each kind lives in `<kind>/`, is registered in `registry.ts` by the `kind`
 * factory.yaml names it with (`deployers:`), and passes the shared suite in `deployer.contract.ts`.
 *
 * Every operation resolves to a `DeployResult`, never rejects for a failed step: a command that
 * exits 1, a CD system that answers 500 or never calls back, a canary that fails its health check
 * are `ok: false` with the reason and the evidence. (A rejection means a bug or a misuse.)
 *
 * Retries. The rollout engine may run an operation again after a crash, without knowing whether
 * the first run finished. What each kind guarantees:
 * - `command`: runs the command again; the command itself must be idempotent (`kubectl apply`,
 *   `helm upgrade --install`; a remove that succeeds when there is nothing to remove).
 * - `webhook`: sends the same request id again (derived from upgrade, attempt, operation and
 *   version; also sent as `Idempotency-Key`), so the CD system can answer a repeat without
 *   deploying twice; the callback for that id completes whichever request waits for it.
 * - `sample`: in-process; deploying a variant that runs returns the running one, removing one
 *   that is gone succeeds. A crash takes its services with it, so a retry starts them afresh.
 *
 * Health. `deployCanary` and `deployBaseline` resolve `ok` only once the variant's health check
 * (HTTP GET, 2xx) has passed: a canary takes traffic only after that.
 */
export interface Deployer {
  /** For logs and evidence, e.g. `command:checkout`. */
  readonly name: string;
  /** Whether `deployBaseline` can work; when false it resolves a failed result saying so. */
  readonly supportsBaseline: boolean;
  /** Starts or updates the canary on `target.toVersion`, then waits for its health check. */
  deployCanary(target: DeployTarget): Promise<DeployResult>;
  /** Starts a fresh baseline on `target.fromVersion` (the canary's weight goes to it), then waits for its health. */
  deployBaseline(target: DeployTarget): Promise<DeployResult>;
  /** Makes `target.toVersion` the stable version (the canary becomes stable). */
  promote(target: DeployTarget): Promise<DeployResult>;
  /** Removes the canary: rollback, or cleanup after promotion. Succeeds when there is none. */
  removeCanary(target: DeployTarget): Promise<DeployResult>;
  /** Removes the baseline. Succeeds when there is none. */
  removeBaseline(target: DeployTarget): Promise<DeployResult>;
  /** Stops what the deployer holds in this process (the sample services); nothing in a real environment. */
  close(): Promise<void>;
}

/** Which rollout an operation is for. */
export interface DeployTarget {
  /** Catalog name of the service. */
  service: string;
  /** The upgrade's id. */
  upgrade: string;
  /** The rollout attempt: 1, then 2 after `uf rollout retry`, ... */
  attempt: number;
  /** The version stable runs now. */
  fromVersion: string;
  /** The version being rolled out. */
  toVersion: string;
  environment?: string;
}

export const deployOperations = ['deployCanary', 'deployBaseline', 'promote', 'removeCanary', 'removeBaseline'] as const;
export type DeployOperation = (typeof deployOperations)[number];

export interface DeployResult {
  operation: DeployOperation;
  ok: boolean;
  /** Why it failed, one sentence (only when `ok` is false). */
  reason?: string;
  /**
   * Digest of the artifact now running (`sha256:<hex>`), or null when the deployer did not learn
   * one; `digestNote` then says why, so "no digest" is stated, never silent.
   */
  digest: string | null;
  digestNote?: string;
  /** Base URL the deployed variant answers at, when the deployer knows it. */
  url?: string;
  /** The health check run after a deploy (deploy operations only). */
  health?: HealthResult;
  /** What was done, to be kept in the operation log. */
  evidence: DeployEvidence;
  durationMs: number;
}

/** What one operation did: JSON, bounded, and free of secrets. */
export type DeployEvidence = CommandEvidence | WebhookEvidence | SampleEvidence;

export interface CommandEvidence {
  kind: 'command';
  argv: string[];
  cwd: string;
  /** null when the process was killed by a signal (or never started). */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Set when the program could not be started (ENOENT, EACCES). */
  spawnError?: string;
  durationMs: number;
  /** The last `maxOutputBytes` of each stream, as UTF-8. */
  stdout: string;
  stderr: string;
  /** Bytes dropped from the start of each stream to keep it within the bound. */
  droppedBytes: { stdout: number; stderr: number };
}

export interface WebhookEvidence {
  kind: 'webhook';
  url: string;
  /** Sent in the body and as `Idempotency-Key`; the callback names it. */
  requestId: string;
  /** The CD system's answer to the POST; absent when it could not be reached. */
  httpStatus?: number;
  /** Start of the answer's body, bounded. */
  response?: string;
  /** The callback that completed the request: its id (if it sent one) and status. */
  callback?: { id?: string; status: string; message?: string };
  durationMs: number;
}

export interface SampleEvidence {
  kind: 'sample';
  /** `started`, `already running`, `stopped`, `not running`, `promoted` or `failed`. */
  action: string;
  version?: string;
  url?: string;
  behaviour?: { latencyMs: number; jitterMs: number; errorRate: number };
}

/** The outcome of waiting for a health URL to answer 2xx. */
export interface HealthResult {
  ok: boolean;
  url: string;
  attempts: number;
  durationMs: number;
  /** The last answer's status, when there was one. */
  lastStatus?: number;
  /** Why the last attempt failed (connection refused, timeout, status 503). */
  lastError?: string;
}
