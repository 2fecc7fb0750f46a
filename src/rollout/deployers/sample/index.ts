import { createHash } from 'node:crypto';
import type { SampleDeployerSettings } from '../../../config/sections/deployers.js';
import { startSampleService, type SampleBehaviour, type SampleService } from '../../../proxy/sample-service.js';
import { afterDeploy, variantOf, versionOf } from '../steps.js';
import type { Deployer, DeployOperation, DeployResult, DeployTarget, SampleEvidence } from '../types.js';

type Slot = 'canary' | 'baseline' | 'stable';

interface Running {
  /** Which rollout and version it runs for: a deploy of the same one finds it running. */
  key: string;
  version: string;
  service: SampleService;
  digest: string;
}

/** The sample deployer also lets the demo reach the services it runs (to change a behaviour mid-run). */
export interface SampleDeployer extends Deployer {
  running(slot: Slot): SampleService | undefined;
}

/**
 * The demo's deployer: runs the project's sample service, in this process, on `host` (at the
 * slot's port from `ports`, else a free one), as the canary (the new version) or the baseline (the old one), each with the behaviour
 * `versions` gives its version. Promote keeps the canary's service running as stable. The artifact
 * of a sample service is its version and behaviour, so its digest is the SHA-256 of those.
 */
export function createSampleDeployer(settings: SampleDeployerSettings): SampleDeployer {
  const slots = new Map<Slot, Running>();
  const behaviourOf = (version: string): SampleBehaviour => ({ latencyMs: 0, jitterMs: 0, errorRate: 0, conversionRate: 0, queueDrainPerSecond: undefined, ...settings.versions[version] });
  const keyOf = (target: DeployTarget, version: string) => `${target.upgrade}#${target.attempt}@${version}`;
  const result = (operation: DeployOperation, started: number, fields: Omit<DeployResult, 'operation' | 'durationMs' | 'evidence' | 'digest'> & { digest?: string | null }, evidence: SampleEvidence): DeployResult => {
    const durationMs = Math.round(performance.now() - started);
    const digest = fields.digest ?? null;
    return { operation, ...fields, digest, ...(digest === null && fields.digestNote === undefined ? { digestNote: 'no sample service is running' } : {}), evidence, durationMs };
  };

  const deploy = async (operation: 'deployCanary' | 'deployBaseline', target: DeployTarget): Promise<DeployResult> => {
    const started = performance.now();
    const slot = variantOf(operation) as 'canary' | 'baseline';
    const version = versionOf(operation, target);
    const behaviour = behaviourOf(version);
    const existing = slots.get(slot);
    let action = 'already running';
    let running = existing;
    if (existing?.key !== keyOf(target, version)) {
      if (existing) await stop(slot);
      try {
        const service = await startSampleService({ version, host: settings.host, port: settings.ports[slot] ?? 0, ...behaviour });
        running = { key: keyOf(target, version), version, service, digest: digestOf(settings.service, version, behaviour) };
        slots.set(slot, running);
        action = 'started';
      } catch (error) {
        const reason = `cannot start the sample service for ${slot} ${version} on ${settings.host}: ${(error as Error).message}`;
        return result(operation, started, { ok: false, reason, digestNote: 'nothing was started' }, { kind: 'sample', action: 'failed', version, behaviour });
      }
    }
    const { service, digest } = running!;
    const deployed = result(operation, started, { ok: true, digest, url: service.url }, { kind: 'sample', action, version, url: service.url, behaviour });
    return afterDeploy(deployed, settings.health, operation, target);
  };

  const stop = async (slot: Slot): Promise<Running | undefined> => {
    const running = slots.get(slot);
    if (!running) return undefined;
    slots.delete(slot);
    await running.service.close();
    return running;
  };

  const remove = async (operation: 'removeCanary' | 'removeBaseline', slot: Slot): Promise<DeployResult> => {
    const started = performance.now();
    const stopped = await stop(slot);
    if (!stopped) return result(operation, started, { ok: true }, { kind: 'sample', action: 'not running' });
    return result(operation, started, { ok: true, digest: stopped.digest }, { kind: 'sample', action: 'stopped', version: stopped.version, url: stopped.service.url });
  };

  return {
    name: `sample:${settings.service}`,
    supportsBaseline: true,
    deployCanary: (target) => deploy('deployCanary', target),
    deployBaseline: (target) => deploy('deployBaseline', target),
    async promote(target) {
      const started = performance.now();
      const canary = slots.get('canary');
      const stable = slots.get('stable');
      if (!canary && stable?.key === keyOf(target, target.toVersion)) {
        return result('promote', started, { ok: true, digest: stable.digest, url: stable.service.url }, { kind: 'sample', action: 'already promoted', version: stable.version, url: stable.service.url });
      }
      if (canary?.key !== keyOf(target, target.toVersion)) {
        return result('promote', started, { ok: false, reason: `no canary of ${target.toVersion} for this rollout is running to promote` }, { kind: 'sample', action: 'failed', version: target.toVersion });
      }
      if (stable) await stop('stable');
      slots.delete('canary');
      slots.set('stable', canary);
      return result('promote', started, { ok: true, digest: canary.digest, url: canary.service.url }, { kind: 'sample', action: 'promoted', version: canary.version, url: canary.service.url });
    },
    removeCanary: () => remove('removeCanary', 'canary'),
    removeBaseline: () => remove('removeBaseline', 'baseline'),
    running: (slot) => slots.get(slot)?.service,
    async close() {
      await Promise.all([stop('canary'), stop('baseline'), stop('stable')]);
    },
  };
}

function digestOf(service: string, version: string, behaviour: SampleBehaviour): string {
  const canonical = JSON.stringify({
    service,
    version,
    latencyMs: behaviour.latencyMs,
    jitterMs: behaviour.jitterMs,
    errorRate: behaviour.errorRate,
    // Added later: left out at their defaults, so the digests of existing settings stay the same.
    ...(behaviour.conversionRate !== 0 ? { conversionRate: behaviour.conversionRate } : {}),
    ...(behaviour.queueDrainPerSecond !== undefined ? { queueDrainPerSecond: behaviour.queueDrainPerSecond } : {}),
  });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}
