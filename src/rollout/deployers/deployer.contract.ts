import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitHealthy } from './health.js';
import { isDigest } from './steps.js';
import type { Deployer, DeployResult, DeployTarget } from './types.js';

/**
 * The shared contract every Deployer passes (as Hono runs every router through `runTest`): a
 * deployer is done when this suite is green against real processes and servers.
 *
 *   runDeployerContract({ name: 'command', setup: async () => ({ deployer, failing, slow, target, teardown }) });
 *
 * Test-only: it imports vitest. Cases run in order against one harness.
 */
export interface DeployerHarness {
  /** A working deployer whose canary answers HTTP at the URL it reports (or at its health URL). */
  deployer: Deployer;
  /** A deployer of the same kind whose deploy fails (a command exiting 1, a CD system reporting failure, ...). */
  failing: Deployer;
  /** A deployer of the same kind whose deploy outlasts its own limit, and that limit in ms. */
  slow: { deployer: Deployer; timeoutMs: number };
  target: DeployTarget;
  teardown(): Promise<void>;
}

export interface DeployerContractTarget {
  name: string;
  setup(): Promise<DeployerHarness>;
}

/** How much longer than its limit a timed-out step may take to come back (kill grace, process exit). */
const timeoutSlackMs = 3_000;

/** Whether anything answers HTTP at `url` now. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await request(url, { signal: AbortSignal.timeout(2_000) });
    await response.body.dump();
    return true;
  } catch {
    return false;
  }
}

function expectWellFormed(result: DeployResult, operation: DeployResult['operation']): void {
  expect(result.operation).toBe(operation);
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
  expect(result.evidence).toBeDefined();
  // Evidence goes to the operation log: plain JSON.
  expect(JSON.parse(JSON.stringify(result.evidence))).toEqual(result.evidence);
  if (result.digest === null) expect(result.digestNote, 'a missing digest is stated, with why').toMatch(/\S/);
  else expect(isDigest(result.digest)).toBe(true);
  if (!result.ok) expect(result.reason).toMatch(/\S/);
}

export function runDeployerContract(contract: DeployerContractTarget): void {
  describe(`Deployer contract: ${contract.name}`, () => {
    let harness: DeployerHarness;
    let canaryUrl: string | undefined;

    beforeAll(async () => {
      harness = await contract.setup();
    }, 30_000);

    afterAll(async () => {
      await harness?.teardown();
    }, 30_000);

    it('deploys the canary, which has passed its health check when the result says ok', async () => {
      const result = await harness.deployer.deployCanary(harness.target);
      expectWellFormed(result, 'deployCanary');
      expect(result.reason).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.health?.ok).toBe(true);
      canaryUrl = result.health!.url;
      const again = await waitHealthy(canaryUrl, { timeoutMs: 2_000, intervalMs: 100 });
      expect(again.ok).toBe(true);
    });

    it('deploys the same canary again without harm (a retry after a crash)', async () => {
      const result = await harness.deployer.deployCanary(harness.target);
      expectWellFormed(result, 'deployCanary');
      expect(result.ok).toBe(true);
      expect(await answers(result.health!.url)).toBe(true);
      canaryUrl = result.health!.url;
    });

    it('removes the canary, and removing it again still succeeds', async () => {
      const first = await harness.deployer.removeCanary(harness.target);
      expectWellFormed(first, 'removeCanary');
      expect(first.ok).toBe(true);
      expect(await answers(canaryUrl!)).toBe(false);
      const second = await harness.deployer.removeCanary(harness.target);
      expectWellFormed(second, 'removeCanary');
      expect(second.ok).toBe(true);
    });

    it('deploys and removes a baseline when it has one; otherwise says so without failing cleanup', async () => {
      if (!harness.deployer.supportsBaseline) {
        const refused = await harness.deployer.deployBaseline(harness.target);
        expectWellFormed(refused, 'deployBaseline');
        expect(refused.ok).toBe(false);
        expect((await harness.deployer.removeBaseline(harness.target)).ok).toBe(true);
        return;
      }
      const deployed = await harness.deployer.deployBaseline(harness.target);
      expectWellFormed(deployed, 'deployBaseline');
      expect(deployed.ok).toBe(true);
      expect(deployed.health?.ok).toBe(true);
      for (let i = 0; i < 2; i++) {
        const removed = await harness.deployer.removeBaseline(harness.target);
        expectWellFormed(removed, 'removeBaseline');
        expect(removed.ok).toBe(true);
      }
      expect(await answers(deployed.health!.url)).toBe(false);
    });

    it('promotes a deployed canary, and cleans up after', async () => {
      expect((await harness.deployer.deployCanary(harness.target)).ok).toBe(true);
      const promoted = await harness.deployer.promote(harness.target);
      expectWellFormed(promoted, 'promote');
      expect(promoted.ok).toBe(true);
      const cleanup = await harness.deployer.removeCanary(harness.target);
      expectWellFormed(cleanup, 'removeCanary');
      expect(cleanup.ok).toBe(true);
    });

    it('reports a failing deploy as a failed result with its evidence, never as an exception', async () => {
      const result = await harness.failing.deployCanary(harness.target);
      expectWellFormed(result, 'deployCanary');
      expect(result.ok).toBe(false);
    });

    it('gives up on a deploy that outlasts its limit, within the limit and a little grace', async () => {
      const started = performance.now();
      const result = await harness.slow.deployer.deployCanary(harness.target);
      const took = performance.now() - started;
      expectWellFormed(result, 'deployCanary');
      expect(result.ok).toBe(false);
      expect(took).toBeGreaterThanOrEqual(harness.slow.timeoutMs - 50);
      expect(took).toBeLessThan(harness.slow.timeoutMs + timeoutSlackMs);
    }, 20_000);
  });
}
