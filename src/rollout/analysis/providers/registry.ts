import type { z } from 'zod';
import {
  builtinMetricSettingsSchema,
  httpJsonMetricSettingsSchema,
  journeyMetricSettingsSchema,
  prometheusMetricSettingsSchema,
  prometheusTextMetricSettingsSchema,
  type MetricSource,
  type MetricSourceKind,
} from '../../../config/sections/metrics.js';
import type { MeasurementResult } from '../types.js';
import { createBuiltinMetricProvider } from './builtin/index.js';
import { createHttpJsonMetricProvider } from './http-json/index.js';
import { createJourneyMetricProvider } from './journey/index.js';
import { createPrometheusTextMetricProvider } from './prometheus-text/index.js';
import { createPrometheusMetricProvider } from './prometheus/index.js';
import { failed, neverThrowing } from './result.js';
import type { MetricProvider, MetricProviderDeps, MetricQuery } from './types.js';

/** One provider kind: the schema its settings are validated by, and how to build it. */
export interface MetricProviderKindEntry<Schema extends z.ZodType> {
  readonly settings: Schema;
  create(deps: MetricProviderDeps): MetricProvider<z.output<Schema>>;
}

/** Every metric provider, by the `kind` factory.yaml names its sources with. */
export const metricProviderRegistry = {
  builtin: { settings: builtinMetricSettingsSchema, create: createBuiltinMetricProvider },
  prometheus: { settings: prometheusMetricSettingsSchema, create: createPrometheusMetricProvider },
  'prometheus-text': { settings: prometheusTextMetricSettingsSchema, create: createPrometheusTextMetricProvider },
  'http-json': { settings: httpJsonMetricSettingsSchema, create: createHttpJsonMetricProvider },
  journey: { settings: journeyMetricSettingsSchema, create: createJourneyMetricProvider },
} satisfies { [K in MetricSourceKind]: MetricProviderKindEntry<z.ZodType<Extract<MetricSource, { kind: K }>>> };

/** A query whose settings are any configured source: the kind inside picks the provider. */
export type SourceQuery = MetricQuery<MetricSource>;

/** The providers of one process, built once (some keep readings between calls), used by source. */
export interface MetricProviders {
  measure(query: SourceQuery): Promise<MeasurementResult>;
  /** Tells the source's provider that a window opens (see `MetricProvider.startWindow`). */
  startWindow(query: SourceQuery): Promise<void>;
}

type ProviderOf<K extends MetricSourceKind> = MetricProvider<Extract<MetricSource, { kind: K }>>;
type Built = { [K in MetricSourceKind]: ProviderOf<K> };

/**
 * Builds every provider once, each wrapped so that it never rejects, and dispatches a query to
 * the provider its source's `kind` names. The composition root calls this with the clock and the
 * environment; tests pass a fixed clock and their own variables.
 */
export function createMetricProviders(deps: MetricProviderDeps): MetricProviders {
  const built: Built = {
    builtin: neverThrowing(metricProviderRegistry.builtin.create(deps)),
    prometheus: neverThrowing(metricProviderRegistry.prometheus.create(deps)),
    'prometheus-text': neverThrowing(metricProviderRegistry['prometheus-text'].create(deps)),
    'http-json': neverThrowing(metricProviderRegistry['http-json'].create(deps)),
    journey: neverThrowing(metricProviderRegistry.journey.create(deps)),
  };
  const providerFor = <K extends MetricSourceKind>(kind: K): ProviderOf<K> | undefined => (Object.hasOwn(built, kind) ? built[kind] : undefined);
  return {
    async measure(query) {
      const provider = providerFor(query.settings.kind) as MetricProvider<MetricSource> | undefined;
      if (provider === undefined) return failed(String(query.settings.kind), query, `unknown metric source kind ${JSON.stringify(query.settings.kind)}`);
      return provider.measure(query);
    },
    async startWindow(query) {
      const provider = providerFor(query.settings.kind) as MetricProvider<MetricSource> | undefined;
      await provider?.startWindow?.(query);
    },
  };
}
