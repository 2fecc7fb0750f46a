import type { Measurement, MeasurementResult } from '../types.js';
import type { MetricProvider, MetricQuery } from './types.js';

/** A measurement of `query` by provider `id`. */
export function measured<S>(id: string, query: MetricQuery<S>, reading: Pick<Measurement, 'samples'> & Partial<Pick<Measurement, 'value' | 'count'>>, sourceQuery?: string): MeasurementResult {
  const measurement: Measurement = {
    metric: query.metric,
    variant: query.variant,
    window: { ...query.window },
    samples: reading.samples,
    ...(reading.value !== undefined ? { value: reading.value } : {}),
    ...(reading.count !== undefined ? { count: reading.count } : {}),
    source: { provider: id, ...(sourceQuery !== undefined ? { query: sourceQuery } : {}) },
  };
  return { ok: true, measurement };
}

/** A measurement of `query` that could not be taken, and why. */
export function failed<S>(id: string, query: MetricQuery<S>, reason: string, sourceQuery?: string): MeasurementResult {
  return {
    ok: false,
    error: { metric: query.metric, variant: query.variant, window: { ...query.window }, reason, source: { provider: id, ...(sourceQuery !== undefined ? { query: sourceQuery } : {}) } },
  };
}

/**
 * The provider with its promise kept: whatever a bug inside it throws becomes an `ok: false`
 * result (and a failed `startWindow` is swallowed, to show in the next measure), so no exception
 * escapes to the engine and no failure reads as a pass.
 */
export function neverThrowing<S>(provider: MetricProvider<S>): MetricProvider<S> {
  const start = provider.startWindow?.bind(provider);
  return {
    id: provider.id,
    async measure(query) {
      try {
        return await provider.measure(query);
      } catch (error) {
        return failed(provider.id, query, `the ${provider.id} provider failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    ...(start
      ? {
          async startWindow(query: MetricQuery<S>) {
            try {
              await start(query);
            } catch {
              // The window's measure reports what went wrong.
            }
          },
        }
      : {}),
  };
}
