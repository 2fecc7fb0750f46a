import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UfError } from '../../src/core/errors.js';
import { runTrafficRouterContract } from '../../src/traffic/traffic-router.contract.js';
import { createHaproxyRouter, type HaproxyCounters } from '../../src/traffic/routers/haproxy/index.js';
import { findBinary, missingBinaryReason } from './support/binaries.js';
import { startHaproxyHarness, type HaproxyHarness } from './support/haproxy.js';

const binary = findBinary('haproxy');
const skip = missingBinaryReason('haproxy', binary);

runTrafficRouterContract({ name: 'haproxy', skip, setup: () => startHaproxyHarness(binary!, { baseline: true }) });

const infoField = (info: string, field: string): string => new RegExp(`^${field}: (.*)$`, 'm').exec(info)?.[1] ?? '';

const delta = (before: HaproxyCounters, after: HaproxyCounters) => ({
  stable: after.stable.sessions - before.stable.sessions,
  canary: after.canary.sessions - before.canary.sessions,
});

describe.skipIf(skip !== undefined)(`haproxy router${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let harness: HaproxyHarness;
  beforeAll(async () => {
    harness = await startHaproxyHarness(binary!);
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const sendMany = async (count: number): Promise<void> => {
    for (let sent = 0; sent < count; sent += 1) await harness.send({});
  };

  it('changes weights without a reload: same process, and its own counters show the split', async () => {
    const before = await harness.runtimeApi('show info');
    expect(Number(infoField(before, 'Pid'))).toBe(harness.haproxy.pid);

    await harness.router.setWeight(25);
    const start = await harness.router.readCounters();
    await sendMany(400);
    const split = delta(start, await harness.router.readCounters());
    expect(split.stable + split.canary).toBe(400);
    expect(Math.abs((100 * split.canary) / 400 - 25)).toBeLessThanOrEqual(4);

    await harness.router.setWeight(100);
    const allCanary = await harness.router.readCounters();
    await sendMany(50);
    expect(delta(allCanary, await harness.router.readCounters())).toEqual({ stable: 0, canary: 50 });
    expect((await harness.router.readCounters()).canary.weight).toBe(100);

    for (const canary of [5, 50, 0]) await harness.router.setWeight(canary);
    const after = await harness.runtimeApi('show info');
    expect(infoField(after, 'Pid')).toBe(infoField(before, 'Pid'));
    expect(infoField(after, 'Start_time_sec')).toBe(infoField(before, 'Start_time_sec'));
  });

  it('swaps one route for another in the map: never two entries', async () => {
    const routeMap = /route\.map/;
    await harness.router.setHeaderRoute({ kind: 'header', name: 'x-uf-canary', value: 'always' });
    await harness.router.setHeaderRoute({ kind: 'cookie', name: 'uf_canary', value: 'always' });
    const maps = await harness.runtimeApi('show map');
    const file = maps.split('\n').find((line) => routeMap.test(line)) ?? '';
    expect(file).toMatch(/entry_cnt=1\b/);
    expect((await harness.router.verifyWeight()).headerRoute).toEqual({ kind: 'cookie', name: 'uf_canary', value: 'always' });
    await harness.router.reset();
  });

  it('names a missing backend, server or map as not_found and changes nothing', async () => {
    await harness.router.setWeight(10);
    const options = { runtimeApi: harness.router.name.replace(/^haproxy:|#shop$/g, ''), routeMap: 'unused' };
    const wrongBackend = createHaproxyRouter({ ...options, backend: 'nope', servers: { stable: 'stable', canary: 'canary' } });
    const wrongServer = createHaproxyRouter({ ...options, backend: 'shop', servers: { stable: 'stable', canary: 'nope' } });
    const attempts: [() => Promise<unknown>, string][] = [
      [() => wrongBackend.setWeight(50), 'nope'],
      [() => wrongServer.setWeight(50), 'shop/nope'],
      [() => wrongServer.verifyWeight(), 'shop/nope'],
    ];
    for (const [attempt, record] of attempts) {
      const error: unknown = await attempt().catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(UfError);
      expect({ code: (error as UfError).code, record: (error as UfError).location?.record }).toEqual({ code: 'not_found', record });
    }
    const wrongMap = createHaproxyRouter({ ...options, routeMap: '/nonexistent/uf.map', backend: 'shop', servers: { stable: 'stable', canary: 'canary' } });
    for (const attempt of [() => wrongMap.setHeaderRoute({ kind: 'header', name: 'x-uf-canary', value: 'always' }), () => wrongMap.verifyWeight()]) {
      await expect(attempt()).rejects.toSatisfy((error) => error instanceof UfError && error.code === 'not_found');
    }
    expect(await harness.router.verifyWeight()).toEqual({ canary: 10, stable: 90 });
    await harness.router.reset();
  });

  it('reports an unreachable runtime API as source_unavailable', async () => {
    const router = createHaproxyRouter({ runtimeApi: '/nonexistent/uf-admin.sock', backend: 'shop', servers: { stable: 'stable', canary: 'canary' }, routeMap: 'unused' });
    await expect(router.verifyWeight()).rejects.toSatisfy((error) => error instanceof UfError && error.code === 'source_unavailable');
  });
});
