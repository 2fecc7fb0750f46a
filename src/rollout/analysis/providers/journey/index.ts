import type { Journey } from '../../../../config/sections/journeys.js';
import type { JourneyMetricSettings } from '../../../../config/sections/metrics.js';
import { forcingHeaders } from '../../../../proxy/headers.js';
import { failed, measured } from '../result.js';
import type { JourneyRun, MetricProvider, MetricProviderDeps, MetricQuery } from '../types.js';

type ProbeTarget = { baseUrl: string; headers?: Record<string, string> };

const id = 'journey';

/** Where the journey runs for the queried variant: `urls.<variant>`, else `url`; the canary with the forcing header or cookie. */
function targetOf(settings: JourneyMetricSettings, query: MetricQuery<JourneyMetricSettings>): ProbeTarget {
  const baseUrl = settings.urls[query.variant] ?? settings.url;
  const pinned = query.variant === 'canary' && settings.force !== undefined && settings.urls.canary === undefined;
  return { baseUrl, ...(pinned ? { headers: forcingHeaders(settings.force!) } : {}) };
}

/** The journey with every step bounded by the source's timeout, so a silent target cannot hold a measurement longer. */
function bounded(journey: Journey, timeoutMs: number): Journey {
  return { ...journey, steps: journey.steps.map((step) => ({ ...step, timeout: Math.min(step.timeout, timeoutMs) })) };
}

/** The first step of the run that got no answer at all (refused, timed out, reset), as text. */
function unanswered(result: JourneyRun): string | undefined {
  for (const run of result.iterations) {
    for (const step of run.steps) {
      const check = step.checks.find((c) => !c.ok && c.check === 'answer');
      if (check) return check.actual;
    }
  }
  return undefined;
}

/**
 * A journey probe as a rollout metric: the journey named by the source runs against the queried
 * variant, and the measurement is 1 when it is `passing` and 0 when it is `degraded` or `failing`
 * (degraded never counts as a pass), with one sample per iteration (1 for a run whose checks all
 * held). A threshold judge check `min: 1` then fails the step when the canary's journey fails.
 * The target is the service under test, so a wrong answer (an error status, garbage where JSON
 * was expected) is what the journey measures: a 0, never an error. Only a target that gives no
 * answer at all, or a journey that is not configured, is a measurement error. The journeys come
 * from factory.yaml through the composition root (`deps.journeys`).
 */
export function createJourneyMetricProvider(deps: MetricProviderDeps): MetricProvider<JourneyMetricSettings> {
  return {
    id,
    async measure(query) {
      const settings = query.settings;
      const journey = (deps.journeys ?? []).find((j) => j.name === settings.journey);
      if (journey === undefined) return failed(id, query, `no journey named '${settings.journey}' under journeys: in factory.yaml`);
      if (!deps.runJourney) return failed(id, query, 'no journey runner was given to the metric providers (the composition root passes verify/probes)');
      const target = targetOf(settings, query);
      const sourceQuery = `journey ${journey.name} at ${target.baseUrl}`;
      const result = await deps.runJourney(bounded(journey, settings.timeoutMs), target, settings.iterations !== undefined ? { iterations: settings.iterations } : {});
      const noAnswer = unanswered(result);
      if (noAnswer !== undefined) return failed(id, query, `journey ${journey.name} got no answer from ${new URL(target.baseUrl).host}: ${noAnswer}`, sourceQuery);
      if (result.reasons[0]?.startsWith('browser unavailable')) return failed(id, query, `journey ${journey.name} against ${new URL(target.baseUrl).host}: ${result.reasons[0]}`, sourceQuery);
      const samples = result.iterations.map((run) => (run.ok ? 1 : 0));
      const explained = result.state === 'passing' ? `${sourceQuery}: passing` : `${sourceQuery}: ${result.state} (${result.reasons.join('; ')})`;
      return measured(id, query, { samples, value: result.state === 'passing' ? 1 : 0, count: samples.length }, explained);
    },
  };
}
