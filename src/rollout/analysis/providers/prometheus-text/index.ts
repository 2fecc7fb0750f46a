import type { PrometheusTextMetricSettings } from '../../../../config/sections/metrics.js';
import { bearerHeader, endpointOf, fetchText } from '../http.js';
import { failed, measured } from '../result.js';
import { variantValue, windowMs } from '../template.js';
import type { MetricProvider, MetricProviderDeps, MetricQuery } from '../types.js';
import { namesOf, readInterval, selected, type Scrape, type Selector } from './compute.js';
import { parseExposition } from './parse.js';

type Query = MetricQuery<PrometheusTextMetricSettings>;
type Scraped = { ok: true; scrape: Scrape } | { ok: false; reason: string };

/** Scrapes kept per endpoint at most, and for at least this long (longer when a window is longer). */
const maxScrapes = 512;
const minKeepMs = 10 * 60_000;

interface Target {
  /** The metric names queries asked about: a scrape keeps only their samples. */
  interest: Set<string>;
  scrapes: Scrape[];
  inFlight: Promise<Scraped> | undefined;
  longestMs: number;
}

/**
 * Reads a Prometheus text endpoint directly (`/metrics` of the built-in router, of a service), for
 * one machine without a Prometheus server. A gauge is read as it is; counters and histograms
 * grow from the process start, so the provider is stateful: it keeps the scrapes it took (per
 * endpoint, only the metrics asked about) and reads a window as the growth between two of them.
 *
 * - `startWindow` scrapes as the window opens; `measure` scrapes again as it closes. The base is
 *   the kept scrape closest to the window's start, and must lie within `toleranceSeconds` of it;
 *   the end scrape is taken now, which must lie within the tolerance of the window's end. A window
 *   that cannot be read this way is an error that says why, never a number for another interval.
 *   Consecutive windows need no `startWindow`: the last window's end scrape is the next one's base.
 * - Every scrape in between splits the window: each interval's value is a sample (for a gauge,
 *   each reading in the window), and the whole window's value is the measurement's value.
 * - A series the endpoint does not show at all is an error (a misspelt name or label looks just
 *   like that); a counter that did not grow under a ratio, or a histogram without observations,
 *   is a measurement without samples: no data.
 */
export function createPrometheusTextMetricProvider(deps: MetricProviderDeps): Required<MetricProvider<PrometheusTextMetricSettings>> {
  const id = 'prometheus-text';
  const targets = new Map<string, Target>();

  const targetOf = (settings: PrometheusTextMetricSettings): Target => {
    const key = `${settings.url} ${settings.tokenEnv ?? ''}`;
    let target = targets.get(key);
    if (target === undefined) {
      target = { interest: new Set(), scrapes: [], inFlight: undefined, longestMs: 0 };
      targets.set(key, target);
    }
    return target;
  };

  /** One scrape of the endpoint; calls while one is under way share it. */
  const scrape = (target: Target, settings: PrometheusTextMetricSettings, headers: Record<string, string>): Promise<Scraped> => {
    if (target.inFlight) return target.inFlight;
    const run = async (): Promise<Scraped> => {
      const at = deps.clock.now().getTime();
      const answer = await fetchText(settings.url, { headers, timeoutMs: settings.timeoutMs });
      if (!answer.ok) return answer;
      const names = new Set(target.interest);
      const parsed = parseExposition(answer.text, (name) => names.has(name));
      if (!parsed.ok) return { ok: false, reason: `${endpointOf(settings.url)} is not a Prometheus text page: ${parsed.reason}` };
      const kept: Scrape = { at, names, samples: parsed.samples };
      target.scrapes.push(kept);
      target.scrapes.sort((a, b) => a.at - b.at);
      const keepSince = at - Math.max(minKeepMs, target.longestMs + 2 * settings.toleranceSeconds * 1000);
      while (target.scrapes.length > maxScrapes || (target.scrapes[0] !== undefined && target.scrapes[0].at < keepSince)) target.scrapes.shift();
      return { ok: true, scrape: kept };
    };
    const pending = run().finally(() => {
      target.inFlight = undefined;
    });
    target.inFlight = pending;
    return pending;
  };

  const prepare = (query: Query) => {
    const { settings } = query;
    const variant = variantValue(query.variant, settings.variantValues);
    const selector: Selector = { metric: settings.metric, labels: { ...settings.labels, [settings.variantLabel]: variant } };
    const compute = settings.compute;
    const denominator: Selector | undefined = compute.kind === 'ratio' ? { metric: compute.denominator.metric ?? settings.metric, labels: { ...compute.denominator.labels, [settings.variantLabel]: variant } } : undefined;
    const names = namesOf(compute, selector, denominator);
    const target = targetOf(settings);
    for (const name of names) target.interest.add(name);
    target.longestMs = Math.max(target.longestMs, windowMs(query.window));
    return { selector, denominator, names, target, source: describeQuery(settings, selector, denominator) };
  };

  return {
    id,
    async startWindow(query) {
      const { target } = prepare(query);
      const auth = bearerHeader(query.settings.tokenEnv, deps.env);
      if (auth.ok) await scrape(target, query.settings, auth.headers);
    },

    async measure(query) {
      const { settings, window } = query;
      const { selector, denominator, names, target, source } = prepare(query);
      const toleranceMs = settings.toleranceSeconds * 1000;
      const startMs = Date.parse(window.start);
      const endMs = Date.parse(window.end);
      const now = deps.clock.now().getTime();
      if (now < endMs - toleranceMs) return failed(id, query, `the window ends at ${window.end}: a text endpoint can only be read for a window that is over`, source);
      if (now > endMs + toleranceMs) return failed(id, query, `measured ${Math.round((now - endMs) / 1000)} s after the window's end, beyond the ${settings.toleranceSeconds} s tolerance: a scrape now would cover more than the window`, source);

      const auth = bearerHeader(settings.tokenEnv, deps.env);
      if (!auth.ok) return failed(id, query, auth.reason, source);
      const scraped = await scrape(target, settings, auth.headers);
      if (!scraped.ok) return failed(id, query, scraped.reason, source);
      const end = scraped.scrape;
      const required = denominator ?? (settings.compute.kind === 'quantile' ? { metric: `${selector.metric}_bucket`, labels: selector.labels } : selector);
      if (selected(end, required.metric, required.labels).length === 0) return failed(id, query, `${endpointOf(settings.url)} shows no series ${describeSelector(required)}`, source);

      const usable = target.scrapes.filter((s) => names.every((name) => s.names.has(name)));
      if (settings.compute.kind === 'gauge') {
        const readings = usable.filter((s) => s.at >= startMs - toleranceMs && s.at <= end.at).map((s) => readInterval(settings.compute, s, s, selector, undefined).value ?? 0);
        const value = readInterval(settings.compute, end, end, selector, undefined).value ?? 0;
        return measured(id, query, { samples: readings, value, count: readings.length }, source);
      }

      const base = usable
        .filter((s) => s !== end && Math.abs(s.at - startMs) <= toleranceMs && s.at < end.at)
        .sort((a, b) => Math.abs(a.at - startMs) - Math.abs(b.at - startMs))[0];
      if (base === undefined) {
        return failed(id, query, `no scrape of ${endpointOf(settings.url)} within ${settings.toleranceSeconds} s of the window's start (${window.start}): counters are read as their growth between a scrape at the start (startWindow) and one at the end`, source);
      }
      const chain = usable.filter((s) => s.at >= base.at && s.at <= end.at);
      const samples: number[] = [];
      for (let i = 1; i < chain.length; i++) {
        const reading = readInterval(settings.compute, chain[i - 1]!, chain[i]!, selector, denominator);
        if (reading.value !== null) samples.push(reading.value);
      }
      const whole = readInterval(settings.compute, base, end, selector, denominator);
      if (whole.value === null) return measured(id, query, { samples: [], count: 0 }, source);
      return measured(id, query, { samples, value: whole.value, count: whole.count }, source);
    },
  };
}

function describeSelector(selector: Selector): string {
  return `${selector.metric}{${Object.entries(selector.labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(',')}}`;
}

function describeQuery(settings: PrometheusTextMetricSettings, selector: Selector, denominator: Selector | undefined): string {
  const at = `GET ${endpointOf(settings.url)}`;
  switch (settings.compute.kind) {
    case 'gauge':
      return `${at}: ${describeSelector(selector)}`;
    case 'increase':
      return `${at}: increase of ${describeSelector(selector)}`;
    case 'ratio':
      return `${at}: increase of ${describeSelector(selector)} / increase of ${describeSelector(denominator ?? selector)}`;
    case 'quantile':
      return `${at}: quantile ${settings.compute.quantile} of ${describeSelector(selector)}`;
  }
}
