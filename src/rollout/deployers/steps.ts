import { fillPlaceholders, type DeployPlaceholder, type HealthCheckSettings } from '../../config/sections/deployers.js';
import { healthUrl, waitHealthy } from './health.js';
import type { DeployOperation, DeployResult, DeployTarget } from './types.js';

/** The variant an operation acts on. */
export function variantOf(operation: DeployOperation): 'canary' | 'baseline' | 'stable' {
  if (operation === 'promote') return 'stable';
  return operation === 'deployBaseline' || operation === 'removeBaseline' ? 'baseline' : 'canary';
}

/** The version an operation runs: the old one for the baseline, the new one otherwise. */
export function versionOf(operation: DeployOperation, target: DeployTarget): string {
  return variantOf(operation) === 'baseline' ? target.fromVersion : target.toVersion;
}

/** The values of the factory.yaml placeholders for one operation of one rollout. */
export function placeholderValues(operation: DeployOperation, target: DeployTarget): Record<DeployPlaceholder, string> {
  return {
    service: target.service,
    upgrade: target.upgrade,
    attempt: String(target.attempt),
    environment: target.environment ?? '',
    fromVersion: target.fromVersion,
    toVersion: target.toVersion,
    version: versionOf(operation, target),
    variant: variantOf(operation),
  };
}

export function fill(template: string, operation: DeployOperation, target: DeployTarget): string {
  return fillPlaceholders(template, placeholderValues(operation, target));
}

/**
 * Runs the health check after a successful deploy step: `ok` stays true only when it passes. A
 * deploy that reported no URL and has no configured health URL fails: nothing could be checked, and
 * a canary takes traffic only after its check passed.
 */
export async function afterDeploy(result: DeployResult, health: HealthCheckSettings, operation: DeployOperation, target: DeployTarget): Promise<DeployResult> {
  if (!result.ok || (operation !== 'deployCanary' && operation !== 'deployBaseline')) return result;
  const url = healthUrl(health.url === undefined ? undefined : fill(health.url, operation, target), health.path, result.url);
  if (url === undefined) {
    return { ...result, ok: false, reason: `no health URL for the ${variantOf(operation)}: the deploy reported no URL and health.url is not set` };
  }
  const checked = await waitHealthy(url, { timeoutMs: health.timeoutMs, intervalMs: health.intervalMs, requestTimeoutMs: health.requestTimeoutMs });
  const durationMs = result.durationMs + checked.durationMs;
  if (checked.ok) return { ...result, health: checked, durationMs };
  return { ...result, ok: false, health: checked, durationMs, reason: `the ${variantOf(operation)} failed its health check at ${url} within ${health.timeoutMs} ms: ${checked.lastError ?? 'no answer'}` };
}

/** `sha256:<64 hex>` (or sha384/sha512 of the matching length), as OCI writes digests. */
export function isDigest(text: string): boolean {
  return /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(text);
}
