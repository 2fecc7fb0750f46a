import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UfError } from '../../src/core/errors.js';
import { runTrafficRouterContract } from '../../src/traffic/traffic-router.contract.js';
import { createNginxRouter } from '../../src/traffic/routers/nginx/index.js';
import { acceptingWorkers } from '../../src/traffic/routers/nginx/master.js';
import { findBinary, missingBinaryReason } from './support/binaries.js';
import { startNginxHarness, type NginxHarness } from './support/nginx.js';

const binary = findBinary('nginx');
const skip = missingBinaryReason('nginx', binary);

runTrafficRouterContract({ name: 'nginx', skip, setup: () => startNginxHarness(binary!, { baseline: true }) });

const generationOf = (text: string): number => Number(/"generation":(\d+)/.exec(text)?.[1]);

describe.skipIf(skip !== undefined)(`nginx router${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let harness: NginxHarness;
  const includeText = () => readFileSync(harness.options.includeFile, 'utf8');
  beforeAll(async () => {
    harness = await startNginxHarness(binary!);
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  it('rejects a configuration nginx refuses, puts the previous file back and keeps serving it', async () => {
    await harness.router.setWeight(25);
    const before = includeText();
    const master = harness.masterPid();
    const broken = createNginxRouter({ ...harness.options, canary: '127.0.0.1:99999' });

    const error: unknown = await broken.setWeight(50).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UfError);
    expect((error as UfError).code).toBe('config_invalid');
    expect((error as UfError).message).toMatch(/invalid port/);
    expect((error as UfError).location?.file).toBe(harness.options.includeFile);

    expect(includeText()).toBe(before);
    expect(harness.masterPid()).toBe(master);
    expect(await harness.router.verifyWeight()).toEqual({ canary: 25, stable: 75 });
    const answers = await Promise.all(Array.from({ length: 40 }, () => harness.send({})));
    expect(answers).toHaveLength(40);
  });

  it('keeps serving through 20 graceful reloads: zero failed requests', async () => {
    const outcome = { ok: 0, failed: 0, errors: [] as string[] };
    let loading = true;
    const lane = async (): Promise<void> => {
      while (loading) {
        try {
          await harness.send({});
          outcome.ok += 1;
        } catch (error) {
          outcome.failed += 1;
          outcome.errors.push(String(error));
        }
      }
    };
    const lanes = Array.from({ length: 8 }, lane);
    const first = generationOf(includeText());
    const master = harness.masterPid();
    for (let reload = 0; reload < 20; reload += 1) await harness.router.setWeight(reload % 2 === 0 ? 10 : 90);
    loading = false;
    await Promise.all(lanes);

    expect(outcome.failed, outcome.errors.slice(0, 3).join('\n')).toBe(0);
    expect(outcome.ok).toBeGreaterThan(100);
    expect(generationOf(includeText())).toBe(first + 20);
    expect(harness.masterPid()).toBe(master);
  });

  it('resolves a change only after the workers on the previous configuration stop accepting', async () => {
    const master = harness.masterPid();
    const before = await acceptingWorkers(master);
    expect(before?.size).toBe(2);
    await harness.router.setWeight(60);
    const after = await acceptingWorkers(master);
    expect(after?.size).toBe(2);
    expect([...before!].filter((pid) => after!.has(pid))).toEqual([]);
    // Every fresh connection now lands on a worker with the new configuration.
    expect(await harness.router.verifyWeight()).toEqual({ canary: 60, stable: 40 });
  });

  it('does not reload when nginx already runs the requested state', async () => {
    await harness.router.setWeight(40);
    const generation = generationOf(includeText());
    await harness.router.setWeight(40);
    await harness.router.setHeaderRoute(undefined);
    expect(generationOf(includeText())).toBe(generation);
  });

  it('reports a hand-edited include file as a conflict, and the next change rewrites it', async () => {
    await harness.router.setWeight(20);
    writeFileSync(harness.options.includeFile, includeText().replace('weight=80', 'weight=10'));
    await expect(harness.router.verifyWeight()).rejects.toSatisfy((error) => error instanceof UfError && error.code === 'conflict');
    await harness.router.setWeight(20);
    expect(await harness.router.verifyWeight()).toEqual({ canary: 20, stable: 80 });
  });
});
