import type { TrafficRouter } from '../../traffic/types.js';
import type { DrillPhase, DrillReport } from './types.js';

/** What a drill drives: the service's router, and a way to send one request through it. */
export interface DrillTarget {
  router: TrafficRouter;
  /** Sends one request through the router; resolves with the version that answered (throws when none did). */
  send(): Promise<string>;
  /** The versions stable and canary answer when asked directly (not through the router). */
  stableVersion: string;
  canaryVersion: string;
}

export interface DrillSettings {
  /** Canary weight during the drill, 1..100. */
  canaryWeight: number;
  /** Requests sent after the rollback, each of which stable must answer. */
  verifyRequests: number;
  /** How long the router may take to report weight 0 after the rollback; 10 s by default. */
  rollbackTimeoutMs?: number;
  /** Elapsed milliseconds (a monotonic timer; `performance.now` in production). */
  elapsed: () => number;
}

/**
 * A rollback drill: everything on stable (checked), the canary at a weight (checked: the canary
 * answers some requests), then the rollback (weight 0) timed until the router reports it in force
 * and stable answers, then every one of `verifyRequests` requests must come from stable. The
 * router is reset at the end whatever happened. Never throws for what the drill finds: a failure
 * is a finding, listed in `failures`.
 */
export async function runDrill(target: DrillTarget, settings: DrillSettings): Promise<DrillReport> {
  const { router, stableVersion, canaryVersion } = target;
  const report: DrillReport = { stableVersion, canaryVersion, canaryWeight: settings.canaryWeight, phases: [], failures: [] };
  if (stableVersion === canaryVersion) {
    report.failures.push(`stable and canary both answer version ${stableVersion}: the drill cannot tell them apart`);
    return report;
  }
  // Enough requests that a canary at this weight answers at least one with near certainty (< 1e-6 to miss).
  const canaryRequests = Math.min(2_000, Math.max(40, Math.ceil(1_400 / settings.canaryWeight)));
  try {
    await router.setWeight(0);
    const before = await phase(target, 'before', (await router.verifyWeight()).canary, 20);
    report.phases.push(before);
    if (answeredOtherThan(before, stableVersion)) report.failures.push(`before the drill, with the canary at 0%, ${describeAnswers(before)}`);

    await router.setWeight(settings.canaryWeight);
    const inForce = (await router.verifyWeight()).canary;
    if (inForce !== settings.canaryWeight) report.failures.push(`the router reports ${inForce}% on the canary after being set to ${settings.canaryWeight}%`);
    const canary = await phase(target, 'canary', inForce, canaryRequests);
    report.phases.push(canary);
    if ((canary.answers[canaryVersion] ?? 0) === 0) report.failures.push(`at ${inForce}% the canary (${canaryVersion}) answered none of ${canary.requests} requests: ${describeAnswers(canary)}`);

    const started = settings.elapsed();
    const rollbackMs = await rollBack(target, started, settings);
    if (rollbackMs === undefined) {
      report.failures.push(`after setting the canary to 0%, the router did not report 0% with stable answering within ${settings.rollbackTimeoutMs ?? 10_000} ms`);
    } else {
      report.rollbackMs = rollbackMs;
    }
    const after = await phase(target, 'after-rollback', (await router.verifyWeight()).canary, settings.verifyRequests);
    report.phases.push(after);
    if (answeredOtherThan(after, stableVersion)) report.failures.push(`after the rollback, stable (${stableVersion}) must answer every request, and ${describeAnswers(after)}`);
  } catch (error) {
    report.failures.push(`the router failed during the drill: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await router.reset().catch((error: unknown) => report.failures.push(`resetting the router after the drill failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  return report;
}

/** Sets weight 0 and waits for the router to report it and stable to answer; the time it took, or undefined. */
async function rollBack(target: DrillTarget, started: number, settings: DrillSettings): Promise<number | undefined> {
  const timeoutMs = settings.rollbackTimeoutMs ?? 10_000;
  await target.router.setWeight(0);
  while (settings.elapsed() - started <= timeoutMs) {
    const weights = await target.router.verifyWeight();
    if (weights.canary === 0) {
      const version = await target.send().catch(() => 'error');
      if (version === target.stableVersion) return Math.max(0, Math.round(settings.elapsed() - started));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return undefined;
}

async function phase(target: DrillTarget, name: DrillPhase['name'], weight: number, requests: number): Promise<DrillPhase> {
  const answers: Record<string, number> = {};
  // A few at a time: enough to exercise the router's pool without hammering a staging backend.
  const parallel = 8;
  for (let sent = 0; sent < requests; sent += parallel) {
    const batch = Array.from({ length: Math.min(parallel, requests - sent) }, () => target.send().catch(() => 'error'));
    for (const version of await Promise.all(batch)) answers[version] = (answers[version] ?? 0) + 1;
  }
  return { name, weight, requests, answers };
}

function answeredOtherThan(phase: DrillPhase, version: string): boolean {
  return Object.entries(phase.answers).some(([answered, count]) => answered !== version && count > 0);
}

function describeAnswers(phase: DrillPhase): string {
  return `${phase.requests} requests were answered by ${Object.entries(phase.answers).map(([version, count]) => `${version} × ${count}`).join(', ')}`;
}

/** One line for the log and the list: outcome, rollback time, and the first failure. */
export function drillSummary(service: string, router: string, report: DrillReport): string {
  const after = report.phases.find((p) => p.name === 'after-rollback');
  if (report.failures.length === 0) {
    return `rollback drill of ${service} through ${router} passed: canary ${report.canaryVersion} at ${report.canaryWeight}%, rolled back in ${report.rollbackMs} ms, then stable ${report.stableVersion} answered all ${after?.requests ?? 0} requests`;
  }
  return `rollback drill of ${service} through ${router} failed: ${report.failures.join('; ')}`;
}
