import type { MetricType, Threshold } from '../../../core/k6-thresholds.js';

/**
 * The percentile k6 reports for a trend (its TrendSink.P): over the sorted samples, the value at
 * rank `pct × (n − 1)`, interpolated linearly between the two closest ranks; 0 with no sample.
 * `sorted` must be ascending; `percentile` is from 0 to 100.
 */
export function percentile(sorted: readonly number[], percentile: number): number {
  if (sorted.length === 0) return 0;
  if (sorted.length === 1) return sorted[0] ?? 0;
  const rank = (percentile / 100) * (sorted.length - 1);
  const below = sorted[Math.floor(rank)] ?? 0;
  const above = sorted[Math.ceil(rank)] ?? 0;
  return below + (above - below) * (rank - Math.floor(rank));
}

/** A trend's samples (http_req_duration, in ms): every value kept, so percentiles are exact. */
export class Trend {
  private readonly values: number[] = [];
  private sorted = true;
  private sum = 0;

  add(value: number): void {
    const last = this.values.at(-1);
    if (last !== undefined && value < last) this.sorted = false;
    this.values.push(value);
    this.sum += value;
  }

  get count(): number {
    return this.values.length;
  }

  /** The value of an aggregation: avg, min, max, med, count, or a percentile. k6 reports 0 for an empty trend. */
  aggregate(aggregation: string, pct?: number): number {
    const ordered = this.ordered();
    if (pct !== undefined) return percentile(ordered, pct);
    switch (aggregation) {
      case 'avg':
        return ordered.length === 0 ? 0 : this.sum / ordered.length;
      case 'min':
        return ordered[0] ?? 0;
      case 'max':
        return ordered.at(-1) ?? 0;
      case 'med':
        return percentile(ordered, 50);
      case 'count':
        return ordered.length;
      default:
        throw new Error(`no trend aggregation ${aggregation}`);
    }
  }

  private ordered(): number[] {
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    return this.values;
  }
}

/** A rate: the share of samples that were non-zero (true). k6 reports 0 for an empty rate. */
export class Rate {
  passes = 0;
  fails = 0;

  add(value: boolean): void {
    if (value) this.passes += 1;
    else this.fails += 1;
  }

  get rate(): number {
    const total = this.passes + this.fails;
    return total === 0 ? 0 : this.passes / total;
  }
}

/** What a metric can be asked by a threshold. */
export interface MetricView {
  type: MetricType;
  /** Unit of the value in messages (`ms` for durations, `/s` for a counter's rate). */
  unit(aggregation: string): string;
  value(threshold: Pick<Threshold, 'aggregation' | 'percentile'>): number;
}

export function trendView(trend: Trend): MetricView {
  return { type: 'trend', unit: () => 'ms', value: (t) => trend.aggregate(t.aggregation, t.percentile) };
}

export function rateView(rate: Rate): MetricView {
  return { type: 'rate', unit: () => '', value: () => rate.rate };
}

/** A counter: `count`, and `rate` per second over `elapsedMs`. */
export function counterView(count: number, elapsedMs: number): MetricView {
  return {
    type: 'counter',
    unit: (aggregation) => (aggregation === 'rate' ? '/s' : ''),
    value: (t) => (t.aggregation === 'rate' ? (elapsedMs <= 0 ? 0 : count / (elapsedMs / 1000)) : count),
  };
}
