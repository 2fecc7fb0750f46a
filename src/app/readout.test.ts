import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTargets } from '../../test/helpers/stores.js';
import type { Store } from '../store/open.js';
import { storeSummaries } from '../verify/baselines/store.js';
import type { BaselineSummary, SideFigures } from '../verify/baselines/types.js';
import { metricKind, readoutSources } from './readout.js';

const side = (median: number | null): SideFigures => ({ samples: median === null ? 0 : 12, events: null, median, p95: median, mean: median, window: null });
const summary = (metric: string, before: number | null, after: number | null, classification = 'pass'): BaselineSummary => ({
  rolloutId: 'rol_1',
  upgradeId: 'upg_1',
  service: 'shop',
  metric,
  before: side(before),
  after: side(after),
  classification,
  outcome: classification === 'pass' ? 'pass' : 'fail',
  threshold: 'statistical',
  reason: 'test',
  judgedAt: '2026-12-01T10:00:00.000Z',
});

describe('the readout sources from verify/', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
  });
  afterAll(async () => cleanup?.());

  it('files verification metrics by name: latency, errors, efficiency, throughput, else a KPI', () => {
    expect(['p95_latency', 'http_p99', 'request_duration', 'error_rate', 'failed_checkouts', 'cpu_per_request', 'memory_per_request', 'throughput', 'rps', 'conversion'].map(metricKind)).toEqual([
      'latency',
      'latency',
      'latency',
      'errors',
      'errors',
      'efficiency',
      'efficiency',
      'throughput',
      'throughput',
      'kpi',
    ]);
  });

  it("gives the readout each metric's before/after medians with the judge's word, and nothing before a comparison", async () => {
    const sources = readoutSources(store);
    expect(await sources.baselines!('upg_1')).toBeUndefined();
    await storeSummaries(store.db, [summary('p95_latency', 180, 240, 'high'), summary('conversion', 0.31, 0.33), summary('error_rate', null, 0.01, 'nodata')]);
    const readout = await sources.baselines!('upg_1');
    expect(readout?.source).toBe("before/after medians of rollout rol_1's verification (judged 2026-12-01)");
    // error_rate had no before figure: it is left out rather than shown against a made-up one.
    expect(readout?.metrics).toEqual([
      { service: 'shop', metric: 'conversion', kind: 'kpi', unit: '', before: 0.31, after: 0.33, higherIsBetter: true, verdict: 'pass' },
      { service: 'shop', metric: 'p95_latency', kind: 'latency', unit: '', before: 180, after: 240, higherIsBetter: false, verdict: 'high' },
    ]);
  });
});
