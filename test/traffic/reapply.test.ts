import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapplyWeights } from '../../src/traffic/reapply.js';
import { findBinary, missingBinaryReason } from './support/binaries.js';
import { startHaproxyHarness, type HaproxyHarness } from './support/haproxy.js';

const binary = findBinary('haproxy');
const skip = missingBinaryReason('haproxy', binary);

/** HAProxy keeps runtime weights in memory only: after a restart the reconciler puts them back. */
describe.skipIf(skip !== undefined)(`reapplyWeights with HAProxy${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let harness: HaproxyHarness;
  beforeAll(async () => {
    harness = await startHaproxyHarness(binary!, { baseline: true });
  });
  afterAll(async () => {
    await harness?.teardown();
  });

  const tally = async (count: number): Promise<Record<string, number>> => {
    const counts: Record<string, number> = { stable: 0, canary: 0, baseline: 0 };
    for (let sent = 0; sent < count; sent += 1) counts[await harness.send({})]! += 1;
    return counts;
  };

  it('finds the weights of haproxy.cfg after a restart and sets the recorded ones again', { timeout: 60_000 }, async () => {
    const recorded = { canary: 10, baseline: 10 };
    await harness.router.setWeights(recorded);
    expect(await reapplyWeights(harness.router, recorded)).toMatchObject({ applied: false });

    const before = harness.haproxy.pid;
    await harness.restart();
    expect(harness.haproxy.pid).not.toBe(before);
    expect(await harness.router.verifyWeight()).toEqual({ canary: 0, baseline: 0, stable: 100 });

    const outcome = await reapplyWeights(harness.router, recorded);
    expect(outcome).toEqual({ found: { canary: 0, baseline: 0, stable: 100 }, wanted: recorded, applied: true });
    expect(await harness.router.verifyWeight()).toEqual({ canary: 10, baseline: 10, stable: 80 });
    // Round robin over weights 80/10/10: the recorded split, give or take where the cycle starts.
    const counts = await tally(200);
    for (const arm of ['canary', 'baseline']) expect(Math.abs(counts[arm]! - 20), `${arm} ${counts[arm]}`).toBeLessThanOrEqual(3);
    expect((await reapplyWeights(harness.router, recorded)).applied).toBe(false);
  });
});
