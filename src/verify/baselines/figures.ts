import type { MetricWindow } from '../../rollout/analysis/types.js';
import type { SideFigures } from './types.js';

/** Median, p95 and mean of finite samples (nearest-rank p95, the median interpolated). */
export function figuresOf(samples: readonly number[], events: number | null, window: MetricWindow | null): SideFigures {
  const sorted = samples.filter((n) => Number.isFinite(n)).sort((a, b) => a - b);
  if (sorted.length === 0) return { samples: 0, events, median: null, p95: null, mean: null, window };
  const middle = (sorted.length - 1) / 2;
  const median = (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  const mean = sorted.reduce((sum, n) => sum + n, 0) / sorted.length;
  return { samples: sorted.length, events, median, p95, mean, window };
}
