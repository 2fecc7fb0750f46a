/**
 * npm run bench:canary — how fast, and how often wrongly, each judge rolls a canary back. A seeded
 * simulation (bench/canary/) of 200 requests/s: 5% to the canary, 5% to a fresh baseline of the
 * old version with the canary's share (the reference of both of our judges), 90% to stable.
 * Cases: A/A (no change), +50% latency (every latency x1.5, so p95 +50%), +1 percentage point
 * errors (0.5% -> 1.5%), +10% latency, -5% conversion (20% -> 19%). Each run lasts up to
 * 10 simulated minutes. Judges:
 *  - statistical (ours): Mann-Whitney on per-request latencies, per-second error ratios and
 *    per-second conversion ratios, canary vs baseline; judged every 10 s on a sliding window;
 *  - threshold (ours): p95 canary <= baseline * 1.2, error rate and conversion limits (printed);
 *    judged every 10 s on the same window;
 *  - Flagger-style reference: one check a minute on the canary alone against Flagger's builtin
 *    checks (request-success-rate >= 99%, request-duration p99 <= 500 ms, interval 1m), rollback
 *    when the count of failed checks reaches `threshold: 5`.
 * A rollback is the first `fail` verdict of our judges (inconclusive is not one) and the fifth
 * failed check of the reference. Prints per judge x case: detection rate, share caught within
 * 30 s, median time to rollback, and CPU time per judged window; then whether each judge meets
 * the issue's aim.
 * Knobs: UF_BENCH_AA_RUNS (200), UF_BENCH_RUNS (50 per regression case), UF_BENCH_SEED (9),
 * UF_BENCH_WINDOW (60: seconds of the sliding window), UF_BENCH_MINUTES (10). The defaults take about
 * 3 CPU-minutes, nearly all in the statistical judge (~10 ms per 60 s window of ~600 + ~600
 * latencies); UF_BENCH_AA_RUNS=50 UF_BENCH_RUNS=20 gives a quick look.
 */
import { createJudge } from '../src/rollout/analysis/judges/registry.js';
import type { Judge } from '../src/rollout/analysis/judges/types.js';
import type { StatisticalJudgeSettings, ThresholdJudgeSettings } from '../src/config/sections/judges.js';
import type { Measurement, MeasurementResult, MetricWindow, Verdict } from '../src/rollout/analysis/types.js';
import { mulberry32 } from './canary/prng.js';
import { defaultProfile, quantile, simulateSecond, type Regression, type Second, type TrafficPlan } from './canary/traffic.js';
import { setting } from './settings.js';

const aaRuns = setting('UF_BENCH_AA_RUNS', 200);
const regressionRuns = setting('UF_BENCH_RUNS', 50);
const seed = setting('UF_BENCH_SEED', 9);
const windowSeconds = setting('UF_BENCH_WINDOW', 60);
const runSeconds = setting('UF_BENCH_MINUTES', 10) * 60;
const judgeEvery = 10;
const aimSeconds = 30;
const aimFalseRate = 0.01;
const aimCaughtShare = 0.9;

const old = defaultProfile;
const cases: { name: string; regression: Regression; aim: boolean }[] = [
  { name: 'A/A (no change)', regression: { latencyFactor: 1 }, aim: false },
  { name: '+50% p95 latency', regression: { latencyFactor: 1.5 }, aim: true },
  { name: '+1 pp errors', regression: { latencyFactor: 1, errorRate: old.errorRate + 0.01 }, aim: true },
  { name: '+10% latency', regression: { latencyFactor: 1.1 }, aim: false },
  { name: '-5% conversion', regression: { latencyFactor: 1, conversionRate: old.conversionRate * 0.95 }, aim: false },
];

const statisticalSettings: StatisticalJudgeSettings = {
  kind: 'statistical',
  metrics: [
    mannWhitney('latency', 'increase'),
    mannWhitney('error_rate', 'increase'),
    mannWhitney('conversion', 'decrease'),
  ],
  groupWeights: {},
  scoreThresholds: { pass: 95, marginal: 75 },
};

function mannWhitney(metric: string, direction: 'increase' | 'decrease'): StatisticalJudgeSettings['metrics'][number] {
  return {
    metric,
    groups: ['default'],
    direction,
    tolerance: 0.25,
    confidence: 0.99,
    effectSize: { measure: 'meanRatio', allowedIncrease: 1, allowedDecrease: 1, criticalIncrease: 1, criticalDecrease: 1 },
    critical: false,
    mustHaveData: false,
    nan: 'remove',
  };
}

const thresholdSettings: ThresholdJudgeSettings = {
  kind: 'threshold',
  checks: [
    { metric: 'latency', aggregate: 'p95', maxRatio: 1.2 },
    { metric: 'error_rate', aggregate: 'value', max: 0.015, minSamples: 500 },
    { metric: 'conversion', aggregate: 'value', minRatio: 0.7, minSamples: 500 },
  ],
  minSamples: 300,
  failureLimit: 0,
};

const flagger = { interval: 60, threshold: 5, minSuccessRate: 0.99, maxP99Ms: 500 };

const epoch = Date.UTC(2026, 0, 1);
const iso = (second: number): string => new Date(epoch + second * 1000).toISOString();

/** The measurements of one variant over seconds [from, to): what a provider would return. */
function measure(seconds: readonly Second[], from: number, to: number, variant: 'canary' | 'baseline'): MeasurementResult[] {
  const window: MetricWindow = { start: iso(from), end: iso(to) };
  const latencies: number[] = [];
  const errorRatios: number[] = [];
  const conversionRatios: number[] = [];
  let requests = 0;
  let errors = 0;
  let conversions = 0;
  for (let s = from; s < to; s++) {
    const own = seconds[s]![variant];
    for (const latency of own.latencies) latencies.push(latency);
    if (own.requests > 0) {
      errorRatios.push(own.errors / own.requests);
      conversionRatios.push(own.conversions / own.requests);
    }
    requests += own.requests;
    errors += own.errors;
    conversions += own.conversions;
  }
  const source = { provider: 'bench-simulation' };
  const of = (metric: string, samples: number[], value?: number): MeasurementResult => {
    const measurement: Measurement = { metric, variant, window, samples, source, count: metric === 'latency' ? samples.length : requests };
    if (value !== undefined) measurement.value = value;
    return { ok: true, measurement };
  };
  return [
    of('latency', latencies),
    of('error_rate', errorRatios, requests === 0 ? undefined : errors / requests),
    of('conversion', conversionRatios, requests === 0 ? undefined : conversions / requests),
  ];
}

interface RunOutcome {
  /** Simulated seconds from the start to the rollback; undefined when the run was never rolled back. */
  rollbackAt: Record<string, number | undefined>;
}

interface CpuTally {
  micros: number;
  windows: number;
}

const judgeNames = ['statistical', 'threshold', 'flagger-style'] as const;
type JudgeName = (typeof judgeNames)[number];

function run(plan: TrafficPlan, runSeed: number, judges: { statistical: Judge; threshold: Judge }, cpu: Record<JudgeName, CpuTally>): RunOutcome {
  const rng = mulberry32(runSeed);
  const seconds: Second[] = [];
  const rollbackAt: Record<string, number | undefined> = {};
  const history: Record<'statistical' | 'threshold', Verdict[]> = { statistical: [], threshold: [] };
  let failedChecks = 0;
  for (let t = 1; t <= runSeconds; t++) {
    seconds.push(simulateSecond(rng, plan));
    if (t % judgeEvery === 0) {
      const from = Math.max(0, t - windowSeconds);
      const results = [...measure(seconds, from, t, 'canary'), ...measure(seconds, from, t, 'baseline')];
      for (const name of ['statistical', 'threshold'] as const) {
        if (rollbackAt[name] !== undefined) continue;
        const start = process.cpuUsage();
        const verdict = judges[name].judge({ window: { start: iso(from), end: iso(t) }, results, history: history[name] });
        const used = process.cpuUsage(start);
        cpu[name].micros += used.user + used.system;
        cpu[name].windows++;
        history[name].push(verdict);
        if (verdict.outcome === 'fail') rollbackAt[name] = t;
      }
    }
    if (t % flagger.interval === 0 && rollbackAt['flagger-style'] === undefined) {
      const start = process.cpuUsage();
      const latencies: number[] = [];
      let requests = 0;
      let errors = 0;
      for (let s = t - flagger.interval; s < t; s++) {
        const own = seconds[s]!.canary;
        for (const latency of own.latencies) latencies.push(latency);
        requests += own.requests;
        errors += own.errors;
      }
      const successRate = requests === 0 ? Number.NaN : 1 - errors / requests;
      const p99 = quantile(latencies, 0.99);
      // Flagger: a check without values fails too ("no values found"); a failed check counts.
      const failed = !(successRate >= flagger.minSuccessRate) || !(p99 <= flagger.maxP99Ms);
      if (failed) failedChecks++;
      if (failedChecks >= flagger.threshold) rollbackAt['flagger-style'] = t;
      const used = process.cpuUsage(start);
      cpu['flagger-style'].micros += used.user + used.system;
      cpu['flagger-style'].windows++;
    }
    if (judgeNames.every((name) => rollbackAt[name] !== undefined)) break;
  }
  return { rollbackAt };
}

/** P(X >= k) for X ~ Poisson(mean). */
function poissonTail(mean: number, k: number): number {
  let term = Math.exp(-mean);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= mean / (i + 1);
  }
  return Math.max(0, 1 - below);
}

/**
 * The best any judge can do on +1 pp errors by 30 s: one look at the canary's errors after 30 s
 * (about 300 requests), knowing the old error rate exactly, with at most 1% false alarms.
 * Judging repeatedly over a run only adds false alarms, so this bounds every judge above.
 */
function errorDetectionBound(): { k: number; power: number; oldMean: number; newMean: number } {
  const requests = 200 * 0.05 * aimSeconds;
  const oldMean = requests * old.errorRate;
  const newMean = requests * (old.errorRate + 0.01);
  let k = 0;
  while (poissonTail(oldMean, k) > aimFalseRate) k++;
  return { k, power: poissonTail(newMean, k), oldMean, newMean };
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return quantile(values, 0.5);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function main(): void {
  const wallStart = performance.now();
  const judges = { statistical: createJudge(statisticalSettings), threshold: createJudge(thresholdSettings) };
  const cpu = Object.fromEntries(judgeNames.map((name) => [name, { micros: 0, windows: 0 }])) as Record<JudgeName, CpuTally>;
  console.log(`canary bench: ${200} req/s, canary 5%, baseline 5% (the reference of both our judges), stable 90%; seed ${seed}`);
  console.log(`old version: latency log-normal median ${old.latencyMedianMs} ms sigma ${old.latencySigma} (p95 ${(old.latencyMedianMs * Math.exp(1.645 * old.latencySigma)).toFixed(0)} ms, p99 ${(old.latencyMedianMs * Math.exp(2.326 * old.latencySigma)).toFixed(0)} ms), errors ${old.errorRate * 100}%, conversion ${old.conversionRate * 100}%`);
  console.log(`runs: ${aaRuns} A/A, ${regressionRuns} per regression case; each up to ${runSeconds} simulated s; our judges every ${judgeEvery} s on a sliding ${windowSeconds} s window (from the start while shorter)`);
  console.log(`statistical: ${statisticalSettings.metrics.map((m) => `${m.metric} ${m.direction}`).join(', ')}; tolerance 0.25, confidence 0.99 (Kayenta's 0.95 rolled back 26% of 200 A/A runs, seed 9), meanRatio allowed 1, one group; score pass 95 / marginal 75 (one metric of three high -> 66.7 -> fail)`);
  console.log(`threshold: p95(latency) canary <= baseline * 1.2; error rate <= 1.5% absolute (old 0.5% + 1 pp; a 1% limit rolled back 80% of A/A runs in a 20-run trial); conversion canary >= baseline * 0.7; minSamples 300 per variant (500 requests for error rate and conversion: with 100 the short early windows rolled back 30% of A/A runs), failureLimit 0 (first failed window fails)`);
  console.log(`flagger-style: canary only, every ${flagger.interval} s: request-success-rate >= ${flagger.minSuccessRate * 100}% and request-duration p99 <= ${flagger.maxP99Ms} ms (Flagger's builtin metric examples, interval 1m); rollback when failed checks reach threshold ${flagger.threshold}`);
  console.log('');

  const rows: { judge: JudgeName; case: string; detection: number; within: number; median: number | undefined; runs: number }[] = [];
  cases.forEach((testCase, caseIndex) => {
    const runs = caseIndex === 0 ? aaRuns : regressionRuns;
    const plan: TrafficPlan = { requestsPerSecond: 200, canaryShare: 0.05, baselineShare: 0.05, old, regression: testCase.regression, stableLatencies: false };
    const outcomes: RunOutcome[] = [];
    for (let i = 0; i < runs; i++) outcomes.push(run(plan, (seed * 1_000_003 + caseIndex * 100_000 + i) >>> 0, judges, cpu));
    for (const judge of judgeNames) {
      const times = outcomes.map((o) => o.rollbackAt[judge]).filter((t): t is number => t !== undefined);
      rows.push({ judge, case: testCase.name, detection: times.length / runs, within: times.filter((t) => t <= aimSeconds).length / runs, median: median(times), runs });
    }
  });

  const header = `${pad('judge', 15)}${pad('case', 19)}${pad('runs', 6)}${pad('rolled back', 13)}${pad('within 30 s', 13)}median time to rollback`;
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const judge of judgeNames) {
    for (const row of rows.filter((r) => r.judge === judge)) {
      const label = row.case.startsWith('A/A') ? 'false rollback' : 'detected';
      const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
      console.log(`${pad(judge, 15)}${pad(row.case, 19)}${pad(String(row.runs), 6)}${pad(pct(row.detection), 13)}${pad(pct(row.within), 13)}${row.median === undefined ? '-' : `${row.median} s`}  (${label})`);
    }
  }
  console.log('');
  console.log(`CPU per judged window (process.cpuUsage, user + system):`);
  for (const judge of judgeNames) {
    const tally = cpu[judge];
    console.log(`  ${pad(judge, 15)}${(tally.micros / Math.max(1, tally.windows) / 1000).toFixed(3)} ms over ${tally.windows} windows`);
  }
  console.log('');
  console.log(`aim: +50% p95 and +1 pp errors caught within ${aimSeconds} s (here: at least ${aimCaughtShare * 100}% of runs rolled back by ${aimSeconds} s) with at most ${aimFalseRate * 100}% false rollbacks in A/A`);
  for (const judge of judgeNames) {
    const own = rows.filter((r) => r.judge === judge);
    const falseRate = own.find((r) => r.case.startsWith('A/A'))!.detection;
    const misses = cases.filter((c) => c.aim).map((c) => own.find((r) => r.case === c.name)!).filter((r) => r.within < aimCaughtShare);
    const parts = [`false rollbacks ${(falseRate * 100).toFixed(1)}% ${falseRate <= aimFalseRate ? '<=' : '>'} ${aimFalseRate * 100}%`];
    parts.push(misses.length === 0 ? 'both regressions caught in time' : `too slow or missed: ${misses.map((r) => `${r.case} (${(r.within * 100).toFixed(0)}% by ${aimSeconds} s)`).join(', ')}`);
    console.log(`  ${pad(judge, 15)}${falseRate <= aimFalseRate && misses.length === 0 ? 'MEETS the aim' : 'does NOT meet the aim'}: ${parts.join('; ')}`);
  }
  const bound = errorDetectionBound();
  console.log(`  bound: by ${aimSeconds} s the canary has served ~${200 * 0.05 * aimSeconds} requests, so ~${bound.oldMean.toFixed(1)} errors at the old rate vs ~${bound.newMean.toFixed(1)} after +1 pp; even one look with the old rate known exactly`);
  console.log(`         (roll back at >= ${bound.k} errors, <= ${aimFalseRate * 100}% false alarms) catches only ${(bound.power * 100).toFixed(0)}% of +1 pp regressions: no judge can meet that half of the aim at 10 canary req/s`);
  console.log(`\nwall time ${((performance.now() - wallStart) / 1000).toFixed(1)} s`);
}

main();
