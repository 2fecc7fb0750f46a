import type { PrometheusTextCompute } from '../../../../config/sections/metrics.js';
import type { TextSample } from './parse.js';

/** One scrape of a text endpoint, with the samples of the metrics asked about so far. */
export interface Scrape {
  at: number;
  /** The metric names this scrape kept: it can serve as a base only for these. */
  names: ReadonlySet<string>;
  samples: readonly TextSample[];
}

export interface Selector {
  metric: string;
  /** Every one of these labels must match exactly (the variant label included). */
  labels: Record<string, string>;
}

/** What one computation reads: its metric names, and how it turns a base and an end scrape into a number. */
export interface Reading {
  /** A number over the interval, or null when no event happened in it (0/0, no observation). */
  value: number | null;
  /** The events behind it: the denominator's growth, the histogram's count, the counter's growth. */
  count: number;
}

export function namesOf(compute: PrometheusTextCompute, selector: Selector, denominator?: Selector): string[] {
  if (compute.kind === 'quantile') return [`${selector.metric}_bucket`];
  if (compute.kind === 'ratio' && denominator) return [selector.metric, denominator.metric];
  return [selector.metric];
}

function matches(sample: TextSample, name: string, labels: Record<string, string>): boolean {
  return sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value);
}

export function selected(scrape: Scrape, name: string, labels: Record<string, string>): TextSample[] {
  return scrape.samples.filter((sample) => matches(sample, name, labels));
}

function seriesKey(sample: TextSample, without?: string): string {
  return JSON.stringify(Object.entries(sample.labels).filter(([label]) => label !== without).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * How much the counters matching `labels` grew from `base` to `end`, summed over their series.
 * A series the base lacks started during the interval (from 0); one that went down was reset,
 * and grew by at least its new value (PromQL's `increase` treats a reset the same way).
 */
export function increase(base: Scrape, end: Scrape, name: string, labels: Record<string, string>): number {
  const before = new Map(selected(base, name, labels).map((sample) => [seriesKey(sample), sample.value]));
  let total = 0;
  for (const sample of selected(end, name, labels)) {
    const start = before.get(seriesKey(sample)) ?? 0;
    total += sample.value >= start ? sample.value - start : sample.value;
  }
  return total;
}

/**
 * The q-quantile of a histogram's observations between two scrapes, interpolated inside the
 * bucket it falls in, as PromQL's `histogram_quantile` does: from the bucket's lower bound (0 for
 * the first) to its `le`. In the `+Inf` bucket it is the highest finite bound.
 */
export function histogramQuantile(base: Scrape, end: Scrape, name: string, labels: Record<string, string>, q: number): Reading {
  const bounds = new Map<number, number>();
  const before = new Map(selected(base, `${name}_bucket`, labels).map((sample) => [seriesKey(sample), sample.value]));
  for (const sample of selected(end, `${name}_bucket`, labels)) {
    const le = sample.labels.le === undefined ? NaN : sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
    if (Number.isNaN(le)) continue;
    const start = before.get(seriesKey(sample)) ?? 0;
    bounds.set(le, (bounds.get(le) ?? 0) + (sample.value >= start ? sample.value - start : sample.value));
  }
  const buckets = [...bounds.entries()].sort(([a], [b]) => a - b);
  const total = buckets.at(-1)?.[0] === Infinity ? buckets.at(-1)![1] : 0;
  if (total <= 0) return { value: null, count: 0 };
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (bound === Infinity) return { value: previousBound, count: total };
      const inBucket = cumulative - previousCount;
      const value = inBucket <= 0 ? bound : previousBound + (bound - previousBound) * ((rank - previousCount) / inBucket);
      return { value, count: total };
    }
    previousBound = bound;
    previousCount = cumulative;
  }
  return { value: previousBound, count: total };
}

/** The computation of `compute` over one interval, from `base` to `end`. */
export function readInterval(compute: PrometheusTextCompute, base: Scrape, end: Scrape, selector: Selector, denominator: Selector | undefined): Reading {
  switch (compute.kind) {
    case 'gauge': {
      const value = selected(end, selector.metric, selector.labels).reduce((sum, sample) => sum + sample.value, 0);
      return { value, count: 1 };
    }
    case 'increase': {
      const grown = increase(base, end, selector.metric, selector.labels);
      return { value: grown, count: grown };
    }
    case 'ratio': {
      const over = denominator ?? selector;
      const below = increase(base, end, over.metric, over.labels);
      if (below <= 0) return { value: null, count: 0 };
      return { value: increase(base, end, selector.metric, selector.labels) / below, count: below };
    }
    case 'quantile':
      return histogramQuantile(base, end, selector.metric, selector.labels, compute.quantile);
  }
}
