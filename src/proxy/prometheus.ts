import type { Clock } from '../core/clock.js';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { ClientErrorMeter, clientErrorReasons } from './client-errors.js';
import type { RoutingTable } from './routing.js';
import { statusClasses } from './sliding-window.js';
import { variants, type Variant } from './types.js';
import { durationBuckets, upstreamErrorKinds, VariantMeter } from './variant-meter.js';

export interface ProxyMeters {
  registry: Registry;
  meters: Record<Variant, VariantMeter>;
  /** For the router as a whole: these never count against a version. */
  clientErrors: ClientErrorMeter;
}

/**
 * The proxy's measurements and their Prometheus view. Every series, the latency histogram
 * included, is read from the meters' own counters when scraped, so the request path pays for
 * none of them; the same view serves the sum over router workers (`uf proxy --workers N`).
 */
/** `clock` places responses in the meters' sliding windows. */
export function createProxyMeters(routing: RoutingTable, options: { clock: Clock; registry?: Registry; processMetrics?: boolean }): ProxyMeters {
  const registry = options.registry ?? new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  // The baseline's series appear only on a proxy that has a baseline upstream: its meter exists
  // either way (the request path indexes meters by variant), but is not collected.
  const inUse: readonly Variant[] = routing.hasBaseline ? variants : variants.filter((variant) => variant !== 'baseline');
  const meters = {
    stable: new VariantMeter(options.clock),
    canary: new VariantMeter(options.clock),
    baseline: new VariantMeter(options.clock),
  } satisfies Record<Variant, VariantMeter>;
  registry.registerMetric(durationHistogram(meters, inUse) as unknown as Parameters<Registry['registerMetric']>[0]);
  const clientErrors = new ClientErrorMeter();

  new Counter({
    name: 'uf_proxy_requests_total',
    help: 'Responses sent to clients, per version and status class',
    labelNames: ['variant', 'class'],
    registers: [registry],
    collect() {
      this.reset();
      for (const variant of inUse) statusClasses.forEach((c, i) => this.inc({ variant, class: c }, meters[variant].requests[i]!));
    },
  });
  new Counter({
    name: 'uf_proxy_upstream_errors_total',
    help: 'Failures talking to an upstream, per version and kind (retried or not)',
    labelNames: ['variant', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const variant of inUse) upstreamErrorKinds.forEach((kind, i) => this.inc({ variant, kind }, meters[variant].upstreamErrors[i]!));
    },
  });
  new Counter({
    name: 'uf_proxy_client_errors_total',
    help: 'Requests refused or cut short because of the client (bad target, malformed, client gone), counted against no version',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      clientErrorReasons.forEach((reason, i) => this.inc({ reason }, clientErrors.counts[i]!));
    },
  });
  new Counter({
    name: 'uf_proxy_truncated_responses_total',
    help: 'Responses cut off mid-body by an upstream failure, per version (also counted as 5xx)',
    labelNames: ['variant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const variant of inUse) this.inc({ variant }, meters[variant].truncated);
    },
  });
  new Counter({
    name: 'uf_proxy_retried_on_stable_total',
    help: 'Requests that failed on a version before any response byte and were answered by stable',
    labelNames: ['variant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const variant of inUse) this.inc({ variant }, meters[variant].retriedOnStable);
    },
  });
  new Gauge({
    name: 'uf_proxy_in_flight_requests',
    help: 'Requests being forwarded now, per version',
    labelNames: ['variant'],
    registers: [registry],
    collect() {
      for (const variant of inUse) this.set({ variant }, meters[variant].inFlight);
    },
  });
  new Gauge({
    name: 'uf_proxy_websockets_open',
    help: 'WebSocket connections open now, per version',
    labelNames: ['variant'],
    registers: [registry],
    collect() {
      for (const variant of inUse) this.set({ variant }, meters[variant].websocketsOpen);
    },
  });
  new Gauge({
    name: 'uf_proxy_canary_weight_percent',
    help: 'Percent of requests the canary receives now',
    registers: [registry],
    collect() {
      this.set(routing.state.canaryWeight);
    },
  });
  if (routing.hasBaseline) {
    new Gauge({
      name: 'uf_proxy_baseline_weight_percent',
      help: 'Percent of requests the baseline receives now',
      registers: [registry],
      collect() {
        this.set(routing.state.baselineWeight);
      },
    });
  }
  return { registry, meters, clientErrors };
}

const durationName = 'uf_proxy_request_duration_seconds';

/**
 * The latency histogram, built from the meters' bucket counts at scrape time (prom-client's
 * Histogram can only be fed one observation at a time, which the request path would pay for).
 */
function durationHistogram(meters: Record<Variant, VariantMeter>, inUse: readonly Variant[]) {
  const help = 'Time from receiving a request to the end of its response, per version';
  return {
    name: durationName,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
      for (const variant of inUse) {
        const meter = meters[variant];
        let cumulative = 0;
        durationBuckets.forEach((bound, i) => {
          cumulative += meter.durationCounts[i]!;
          values.push({ metricName: `${durationName}_bucket`, labels: { le: bound, variant }, value: cumulative });
        });
        cumulative += meter.durationCounts[durationBuckets.length]!;
        values.push({ metricName: `${durationName}_bucket`, labels: { le: '+Inf', variant }, value: cumulative });
        values.push({ metricName: `${durationName}_sum`, labels: { variant }, value: meter.durationSumSeconds });
        values.push({ metricName: `${durationName}_count`, labels: { variant }, value: cumulative });
      }
      return Promise.resolve({ name: durationName, help, type: 'histogram', aggregator: 'sum', values });
    },
    reset(): void {},
  };
}
