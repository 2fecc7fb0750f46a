import type { HttpJourneyStep, Journey } from '../../config/sections/journeys.js';
import { playwrightLauncher, runBrowserStep, type ProbeBrowser } from './browser.js';
import { checkHttpAnswer, sendHttpStep } from './http-step.js';
import { journeyMetrics, judgeThresholds, type HttpTry } from './metrics.js';
import { redactCaptures } from './template.js';
import type { IterationResult, JourneyResult, JourneyState, ProbeDeps, ProbeOptions, ProbeTarget, StepResult } from './types.js';

/**
 * Runs `journey` against `target`: its steps in order, `iterations` times, each run with fresh
 * captures; a step whose checks fail (after its retries) ends that run, since later steps use
 * what it should have captured. Never rejects: a target that does not answer is a failing step.
 * The state follows the rules in types.ts (`JourneyState`).
 */
export async function runJourney(journey: Journey, target: ProbeTarget, deps: ProbeDeps, options: ProbeOptions = {}): Promise<JourneyResult> {
  const monotonicMs = deps.monotonicMs ?? (() => performance.now());
  const startedAt = deps.clock.now().toISOString();
  const began = monotonicMs();
  const count = options.iterations ?? journey.iterations;
  const tries: HttpTry[] = [];
  const iterations: IterationResult[] = [];
  const reasons: string[] = [];
  const finish = (state: JourneyState, thresholds: JourneyResult['thresholds'], metrics: JourneyResult['metrics']): JourneyResult => ({
    journey: journey.name,
    service: journey.service,
    target: target.baseUrl,
    state,
    reasons,
    startedAt,
    finishedAt: deps.clock.now().toISOString(),
    iterations,
    metrics,
    thresholds,
  });

  let browser: ProbeBrowser | undefined;
  if (journey.steps.some((step) => step.kind === 'browser')) {
    try {
      browser = await (deps.browser ?? playwrightLauncher)({ executablePath: journey.browser.executablePath, target });
    } catch (error) {
      reasons.push(`browser unavailable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return finish('failing', [], {});
    }
  }

  let retried = false;
  try {
    for (let iteration = 1; iteration <= count; iteration++) {
      const runStarted = monotonicMs();
      const captures: Record<string, string> = {};
      const steps: StepResult[] = [];
      for (const [index, step] of journey.steps.entries()) {
        const name = step.name ?? `step ${index + 1}`;
        if (step.kind === 'browser') {
          const stepStarted = monotonicMs();
          const outcome = await runBrowserStep(browser!.page, step, target);
          const ok = outcome.checks.every((check) => check.ok);
          steps.push({ index, name, kind: 'browser', request: outcome.request, latencyMs: round(monotonicMs() - stepStarted), tries: 1, ok, checks: outcome.checks, captures: {} });
          if (!ok) break;
          continue;
        }
        const result = await runHttpStep(step, index, name, target, captures, monotonicMs, tries);
        if (result.tries > 1 && result.ok) retried = true;
        steps.push(result.step);
        if (!result.ok) break;
      }
      const ok = steps.length === journey.steps.length && steps.every((step) => step.ok);
      iterations.push({ iteration, ok, durationMs: round(monotonicMs() - runStarted), steps });
    }
  } finally {
    await browser?.close().catch(() => undefined);
  }

  const metrics = journeyMetrics(iterations, tries, monotonicMs() - began);
  const thresholds = judgeThresholds(journey, metrics);
  for (const run of iterations) {
    const failed = run.steps.find((step) => !step.ok);
    const check = failed?.checks.find((c) => !c.ok);
    if (failed && check) reasons.push(`iteration ${run.iteration}, ${failed.name} (${failed.request}): ${check.check} expected ${check.expected}, got ${check.actual}`);
  }
  const critical = thresholds.filter((t) => !t.ok && t.abortOnFail);
  const breached = thresholds.filter((t) => !t.ok && !t.abortOnFail);
  for (const t of [...critical, ...breached]) reasons.push(`threshold ${t.metric} ${t.threshold} breached${t.abortOnFail ? ' (abortOnFail)' : ''}: observed ${t.observed}`);
  if (retried) reasons.push('a step passed only on a retry');
  const failing = iterations.some((run) => !run.ok) || critical.length > 0;
  const state: JourneyState = failing ? 'failing' : breached.length > 0 || retried ? 'degraded' : 'passing';
  return finish(state, thresholds, metrics.summary);
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function runHttpStep(
  step: HttpJourneyStep,
  index: number,
  name: string,
  target: ProbeTarget,
  captures: Record<string, string>,
  monotonicMs: () => number,
  tries: HttpTry[],
): Promise<{ ok: boolean; tries: number; step: StepResult }> {
  let attempt = 0;
  for (;;) {
    attempt++;
    const answer = await sendHttpStep(step, target, captures, monotonicMs);
    tries.push({ latencyMs: answer.latencyMs, failed: answer.status === undefined || answer.status >= 400 });
    const { checks, captures: captured } = checkHttpAnswer(step, answer);
    const ok = checks.every((check) => check.ok);
    if (ok) Object.assign(captures, captured);
    if (ok || attempt > step.retries) {
      return {
        ok,
        tries: attempt,
        step: {
          index,
          name,
          kind: 'http',
          request: `${step.method} ${answer.url}`,
          ...(answer.status !== undefined ? { status: answer.status } : {}),
          latencyMs: round(answer.latencyMs),
          tries: attempt,
          ok,
          checks,
          captures: redactCaptures(captured),
        },
      };
    }
  }
}
