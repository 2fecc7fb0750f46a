/**
 * k6's threshold expressions, `aggregation operator value`: `p(95)<200`, `rate<0.01`, `avg<=150`,
 * `count>100`. The aggregations are avg, min, max, med, count, rate and p(N) (N from 0 to 100,
 * decimals allowed: p(99.9)); the operators are the seven k6 documents: < <= > >= == === !=
 * (`==` and `===` are the same numeric test). Which aggregations a metric offers depends on its
 * type, as in k6: a trend has avg, min, max, med and p(N); a rate has rate; a counter has count
 * and rate (per second).
 */
export const thresholdOperators = ['<', '<=', '>', '>=', '==', '===', '!='] as const;
export type ThresholdOperator = (typeof thresholdOperators)[number];

export type MetricType = 'trend' | 'rate' | 'counter';

export const aggregationsByType: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate'],
};

export interface Threshold {
  /** The expression as written, for messages. */
  source: string;
  /** `avg`, `min`, `max`, `med`, `count`, `rate`, or `p(N)` spelled as written (`p(99.9)`). */
  aggregation: string;
  /** For `p(N)`: N, from 0 to 100. */
  percentile?: number;
  operator: ThresholdOperator;
  value: number;
}

export type ParsedThreshold = { ok: true; threshold: Threshold } | { ok: false; reason: string };

const expressionPattern = /^\s*(avg|min|max|med|count|rate|p\(\s*([0-9]+(?:\.[0-9]+)?)\s*\))\s*(===|==|!=|<=|>=|<|>)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$/;
const expectedForm = 'expected `aggregation operator value`, such as p(95)<200, rate<0.01 or count>=100';

/** Reads one threshold expression; never throws. */
export function parseThreshold(source: string): ParsedThreshold {
  const match = expressionPattern.exec(source);
  if (!match) return { ok: false, reason: `threshold '${source}' is not a k6 threshold: ${expectedForm}` };
  const [, aggregationText = '', percentileText, operator = '<', valueText = ''] = match;
  const threshold: Threshold = { source, aggregation: aggregationText.replace(/\s+/g, ''), operator: operator as ThresholdOperator, value: Number(valueText) };
  if (percentileText !== undefined) {
    const percentile = Number(percentileText);
    if (percentile > 100) return { ok: false, reason: `threshold '${source}': a percentile is between 0 and 100, not ${percentileText}` };
    threshold.percentile = percentile;
  }
  return { ok: true, threshold };
}

/** Why `threshold` cannot apply to a metric of `type`, or undefined when it can. */
export function unsupportedAggregation(metric: string, type: MetricType, threshold: Threshold): string | undefined {
  const kind = threshold.percentile === undefined ? threshold.aggregation : 'p(N)';
  if (aggregationsByType[type].includes(kind)) return undefined;
  return `${metric} '${threshold.source}': ${threshold.aggregation} does not apply to ${metric}, a ${type} metric (it offers ${aggregationsByType[type].join(', ')})`;
}

/** Whether `observed` satisfies the threshold. */
export function holds(threshold: Threshold, observed: number): boolean {
  switch (threshold.operator) {
    case '<':
      return observed < threshold.value;
    case '<=':
      return observed <= threshold.value;
    case '>':
      return observed > threshold.value;
    case '>=':
      return observed >= threshold.value;
    case '==':
    case '===':
      return observed === threshold.value;
    case '!=':
      return observed !== threshold.value;
  }
}
