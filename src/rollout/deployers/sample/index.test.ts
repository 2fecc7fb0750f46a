import { afterAll, describe, expect, it } from 'vitest';
import { sampleDeployerSettingsSchema } from '../../../config/sections/deployers.js';
import { startSampleService } from '../../../proxy/sample-service.js';
import { runDeployerContract } from '../deployer.contract.js';
import type { DeployTarget, SampleEvidence } from '../types.js';
import { createSampleDeployer, type SampleDeployer } from './index.js';

const target: DeployTarget = { service: 'checkout', upgrade: 'upg_1', attempt: 1, fromVersion: '1.0.0', toVersion: '2.0.0' };
const health = { timeoutMs: 3_000, intervalMs: 50, requestTimeoutMs: 1_000 };
const opened: SampleDeployer[] = [];

function deployer(settings: Record<string, unknown> = {}): SampleDeployer {
  const created = createSampleDeployer(sampleDeployerSettingsSchema.parse({ service: 'checkout', health, ...settings }));
  opened.push(created);
  return created;
}

async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((d) => d.close()));
}

runDeployerContract({
  name: 'sample',
  async setup() {
    return {
      deployer: deployer(),
      // 192.0.2.1 (TEST-NET-1) is no address of this machine: the service cannot listen there.
      failing: deployer({ host: '192.0.2.1' }),
      // A new version that answers every request 500 never passes its health check.
      slow: { deployer: deployer({ versions: { '2.0.0': { errorRate: 1 } }, health: { ...health, timeoutMs: 600 } }), timeoutMs: 600 },
      target,
      teardown: closeAll,
    };
  },
});

describe('sample deployer', () => {
  afterAll(closeAll);

  it('runs the canary on the new version and the baseline on the old one, each with its behaviour', async () => {
    const sample = deployer({ versions: { '2.0.0': { latencyMs: 30 } } });
    const canary = await sample.deployCanary(target);
    const baseline = await sample.deployBaseline(target);
    expect(canary.ok && baseline.ok).toBe(true);
    const answer = async (url: string) => {
      const started = performance.now();
      const response = await fetch(`${url}/checkout`);
      return { version: response.headers.get('x-version'), ms: performance.now() - started };
    };
    const fromCanary = await answer(canary.url!);
    expect(fromCanary.version).toBe('2.0.0');
    expect(fromCanary.ms).toBeGreaterThanOrEqual(25);
    expect((await answer(baseline.url!)).version).toBe('1.0.0');
    expect((canary.evidence as SampleEvidence).behaviour).toEqual({ latencyMs: 30, jitterMs: 0, errorRate: 0, conversionRate: 0 });
    expect(canary.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(baseline.digest).not.toBe(canary.digest);
  });

  it('returns the running canary on a repeated deploy, and replaces one of another rollout', async () => {
    const sample = deployer();
    const first = await sample.deployCanary(target);
    const again = await sample.deployCanary(target);
    expect(again.url).toBe(first.url);
    expect((again.evidence as SampleEvidence).action).toBe('already running');
    const retry = await sample.deployCanary({ ...target, attempt: 2 });
    expect((retry.evidence as SampleEvidence).action).toBe('started');
    expect(retry.url).not.toBe(first.url);
  });

  it('keeps the promoted canary running as stable, and promoting again is a no-op', async () => {
    const sample = deployer();
    const canary = await sample.deployCanary(target);
    const promoted = await sample.promote(target);
    expect(promoted).toMatchObject({ ok: true, url: canary.url, digest: canary.digest });
    expect(sample.running('stable')?.url).toBe(canary.url);
    expect(sample.running('canary')).toBeUndefined();
    expect((await sample.promote(target)).evidence).toMatchObject({ action: 'already promoted' });
    expect((await fetch(canary.url!)).headers.get('x-version')).toBe('2.0.0');
  });

  it('starts each slot on its fixed port when the settings give one, with the version\'s KPI behaviour', async () => {
    const free = async () => {
      const probe = await startSampleService({ version: 'probe' });
      const port = Number(new URL(probe.url).port);
      await probe.close();
      return port;
    };
    const ports = { canary: await free(), baseline: await free() };
    const sample = deployer({ ports, versions: { '2.0.0': { conversionRate: 0.5 } } });
    const canary = await sample.deployCanary(target);
    const baseline = await sample.deployBaseline(target);
    expect(canary.url).toBe(`http://127.0.0.1:${ports.canary}`);
    expect(baseline.url).toBe(`http://127.0.0.1:${ports.baseline}`);
    for (let i = 0; i < 4; i++) await (await fetch(`${canary.url}/checkout`)).arrayBuffer();
    expect(sample.running('canary')?.kpi(60)).toMatchObject({ sessions: 4, conversions: 2 });
    expect(() => sampleDeployerSettingsSchema.parse({ service: 'checkout', ports: { canary: 8080, baseline: 8080 } })).toThrow(/different ports/);
  });

  it('refuses to promote when no canary of this rollout runs', async () => {
    const result = await deployer().promote(target);
    expect(result).toMatchObject({ ok: false, reason: 'no canary of 2.0.0 for this rollout is running to promote' });
  });
});
