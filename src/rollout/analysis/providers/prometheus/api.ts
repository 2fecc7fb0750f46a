import { z } from 'zod';

/** What Prometheus's HTTP API answers (`/api/v1/query`, `/api/v1/query_range`), parsed at the edge. */
const samplePair = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());

export const prometheusAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: labels, value: samplePair })) }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: labels, values: z.array(samplePair) })) }),
      z.object({ resultType: z.literal('scalar'), result: samplePair }),
      z.object({ resultType: z.literal('string'), result: samplePair }),
    ]),
  }),
]);
export type PrometheusAnswer = z.infer<typeof prometheusAnswer>;

/** A sample value as Prometheus writes it: decimal text, or `NaN`, `+Inf`, `-Inf`; undefined for anything else. */
export function sampleValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

export function describeLabels(metric: Record<string, string>): string {
  return `{${Object.entries(metric)
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ')}}`;
}
