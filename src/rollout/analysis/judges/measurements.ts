import type { Measurement, MeasurementError, MeasurementResult, Variant } from '../types.js';

/** One variant of one metric as the judge sees it: measured, failed to measure, or absent. */
export type VariantData = { state: 'measured'; measurement: Measurement } | { state: 'error'; error: MeasurementError } | { state: 'absent' };

export interface MetricData {
  canary: VariantData;
  /** What the canary is compared with: the fresh baseline when it was measured (or tried), else stable. */
  referenceVariant: 'baseline' | 'stable';
  reference: VariantData;
}

function variantData(results: readonly MeasurementResult[], metric: string, variant: Variant): VariantData {
  const own = results.filter((result) => (result.ok ? result.measurement : result.error).metric === metric && (result.ok ? result.measurement : result.error).variant === variant);
  const failed = own.find((result) => !result.ok);
  if (failed && !failed.ok) return { state: 'error', error: failed.error };
  const measured = own.find((result) => result.ok);
  return measured && measured.ok ? { state: 'measured', measurement: measured.measurement } : { state: 'absent' };
}

/**
 * The canary and its reference for one metric. A baseline whose measurement failed stays the
 * reference (an error), so a broken baseline query never silently becomes a comparison with stable.
 */
export function metricData(results: readonly MeasurementResult[], metric: string): MetricData {
  const baseline = variantData(results, metric, 'baseline');
  const referenceVariant = baseline.state === 'absent' ? 'stable' : 'baseline';
  return {
    canary: variantData(results, metric, 'canary'),
    referenceVariant,
    reference: referenceVariant === 'baseline' ? baseline : variantData(results, metric, 'stable'),
  };
}

/** The provider's error for this metric, if either side has one. */
export function errorOf(data: MetricData): MeasurementError | undefined {
  if (data.canary.state === 'error') return data.canary.error;
  if (data.reference.state === 'error') return data.reference.error;
  return undefined;
}

export function samplesOf(data: VariantData): number[] {
  return data.state === 'measured' ? data.measurement.samples : [];
}

/** How many events stand behind a measurement: the provider's count, else its samples. */
export function countOf(data: VariantData): number {
  if (data.state !== 'measured') return 0;
  return data.measurement.count ?? data.measurement.samples.length;
}
