import type { Clock } from '../core/clock.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ClientErrorMeter, clientErrorReasons } from './client-errors.js';
import type { RoutingTable } from './routing.js';
import { statusClasses } from './sliding-window.js';
import { variants, type Variant } from './types.js';
import { upstreamErrorKinds, VariantMeter } from './variant-meter.js';

/** Latency buckets of the Prometheus histogram, in seconds (the /stats percentiles are finer). */
const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface ProxyMeters {
  registry: Registry;
  meters: Record<Variant, VariantMeter>;
  /** For the router as a whole: these never count against a version. */
  clientErrors: ClientErrorMeter;
}

/**
 * The proxy's measurements and their Prometheus view. Counters and gauges are read from the
 * meters when scraped, so the request path pays for none of them; only the latency histogram is
 * fed per request.
 */
/** `clock` places responses in the meters' sliding windows. */
export function createProxyMeters(routing: RoutingTable, options: { clock: Clock; registry?: Registry; processMetrics?: boolean }): ProxyMeters {
  const registry = options.registry ?? new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({ name: 'uf_proxy_request_duration_seconds', help: 'Time from receiving a request to the end of its response, per version', labelNames: ['variant'], buckets: durationBuckets, registers: [registry] });
  // The baseline's series appear only on a proxy that has a baseline upstream: its meter exists
  // either way (the request path indexes meters by variant), but is neither observed nor collected.
  const inUse: readonly Variant[] = routing.hasBaseline ? variants : variants.filter((variant) => variant !== 'baseline');
  const meters = {
    stable: new VariantMeter(options.clock, duration.labels({ variant: 'stable' }).observe),
    canary: new VariantMeter(options.clock, duration.labels({ variant: 'canary' }).observe),
    baseline: routing.hasBaseline ? new VariantMeter(options.clock, duration.labels({ variant: 'baseline' }).observe) : new VariantMeter(options.clock),
  } satisfies Record<Variant, VariantMeter>;
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
