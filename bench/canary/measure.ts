import type { Measurement, MeasurementResult, MetricWindow } from '../../src/rollout/analysis/types.js';
import type { Second } from './traffic.js';

/** The simulated clock's origin: second 0 of every run. */
const epoch = Date.UTC(2026, 0, 1);

/** Simulated second `second` of a run as an ISO-8601 instant, as a provider would state it. */
export const iso = (second: number): string => new Date(epoch + second * 1000).toISOString();

/**
 * The measurements of one variant over seconds [from, to): what a provider would return. Latency
 * has one sample per request; error rate and conversion one ratio per second with requests (the
 * samples the statistical judge compares) and the window's overall ratio as the value (what the
 * threshold judge reads), counted in requests.
 */
export function measure(seconds: readonly Second[], from: number, to: number, variant: 'canary' | 'baseline'): MeasurementResult[] {
  const window: MetricWindow = { start: iso(from), end: iso(to) };
  const latencies: number[] = [];
  const errorRatios: number[] = [];
  const conversionRatios: number[] = [];
  let requests = 0;
  let errors = 0;
  let conversions = 0;
  for (let s = from; s < to; s++) {
    const own = seconds[s]![variant];
    for (const latency of own.latencies) latencies.push(latency);
    if (own.requests > 0) {
      errorRatios.push(own.errors / own.requests);
      conversionRatios.push(own.conversions / own.requests);
    }
    requests += own.requests;
    errors += own.errors;
    conversions += own.conversions;
  }
  const source = { provider: 'bench-simulation' };
  const of = (metric: string, samples: number[], value?: number): MeasurementResult => {
    const measurement: Measurement = { metric, variant, window, samples, source, count: metric === 'latency' ? samples.length : requests };
    if (value !== undefined) measurement.value = value;
    return { ok: true, measurement };
  };
  return [
    of('latency', latencies),
    of('error_rate', errorRatios, requests === 0 ? undefined : errors / requests),
    of('conversion', conversionRatios, requests === 0 ? undefined : conversions / requests),
  ];
}
