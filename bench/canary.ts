/**
 * npm run bench:canary — how fast, and how often wrongly, each judge rolls a canary back. A seeded
 * simulation (bench/canary/) of 200 requests/s: 5% to the canary, 5% to a fresh baseline of the
 * old version with the canary's share (the reference of our judges), 90% to stable.
 * Cases: A/A (no change), +50% latency (every latency x1.5, so p95 +50%), +1 percentage point
 * errors (0.5% -> 1.5%), +10% latency, -5% conversion (20% -> 19%). Each run lasts up to
 * 10 simulated minutes. Judges, one row per configuration (bench/canary/judges.ts):
 *  - statistical (ours, `stat-*`): Mann-Whitney on per-request latencies, per-second error ratios
 *    and per-second conversion ratios, canary vs baseline, at several confidences and failure
 *    limits; judged every 10 s on a sliding window, each verdict seeing the earlier ones as history;
 *  - threshold (ours): p95 canary <= baseline * 1.2, error rate and conversion limits (printed);
 *    judged every 10 s on the same window, with and without a failure limit;
 *  - Flagger-style reference: one check a minute on the canary alone against Flagger's builtin
 *    checks (request-success-rate >= 99%, request-duration p99 <= 500 ms, interval 1m), rollback
 *    when the count of failed checks reaches `threshold: 5`.
 * A rollback is the first `fail` verdict of our judges (inconclusive is not one; a failure the
 * failure limit tolerates is not either) and the fifth failed check of the reference. Prints per
 * row x case: rollback rate (with its 95% upper bound for A/A), share caught within 30 s, median
 * time to rollback; the metrics behind the A/A false rollbacks; CPU time per judged window; then
 * whether each row meets the issue's aim.
 * Knobs: UF_BENCH_AA_RUNS (200), UF_BENCH_RUNS (50 per regression case), UF_BENCH_SEED (9),
 * UF_BENCH_WINDOW (60: seconds of the sliding window), UF_BENCH_MINUTES (10), UF_BENCH_JUDGES
 * (comma-separated row names; all by default). The defaults take about a CPU-minute, most of it
 * simulating traffic and in the statistical rows (~1 ms per 60 s window of ~600 + ~600
 * latencies); UF_BENCH_AA_RUNS=50 UF_BENCH_RUNS=20 gives a quick look.
 */
import { createJudge } from '../src/rollout/analysis/judges/registry.js';
import type { Judge } from '../src/rollout/analysis/judges/types.js';
import type { Verdict } from '../src/rollout/analysis/types.js';
import { binomialUpperBound, poissonTail } from './canary/binomial.js';
import { benchJudges, type BenchJudge } from './canary/judges.js';
import { iso, measure } from './canary/measure.js';
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

/** UF_BENCH_JUDGES=stat-0.99,threshold runs only those rows (the Flagger-style reference always runs). */
function selectedJudges(): readonly BenchJudge[] {
  const text = process.env.UF_BENCH_JUDGES;
  if (text === undefined || text === '') return benchJudges;
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !benchJudges.some((judge) => judge.name === name));
  if (unknown.length > 0) throw new Error(`UF_BENCH_JUDGES: unknown ${unknown.join(', ')} (known: ${benchJudges.map((judge) => judge.name).join(', ')})`);
  return benchJudges.filter((judge) => names.includes(judge.name));
}

const old = defaultProfile;
const cases: { name: string; regression: Regression; aim: boolean }[] = [
  { name: 'A/A (no change)', regression: { latencyFactor: 1 }, aim: false },
  { name: '+50% p95 latency', regression: { latencyFactor: 1.5 }, aim: true },
  { name: '+1 pp errors', regression: { latencyFactor: 1, errorRate: old.errorRate + 0.01 }, aim: true },
  { name: '+10% latency', regression: { latencyFactor: 1.1 }, aim: false },
  { name: '-5% conversion', regression: { latencyFactor: 1, conversionRate: old.conversionRate * 0.95 }, aim: false },
];

const flagger = { name: 'flagger-style', interval: 60, threshold: 5, minSuccessRate: 0.99, maxP99Ms: 500 };

interface RunOutcome {
  /** Per row: simulated seconds from the start to the rollback; absent when never rolled back. */
  rollbackAt: Map<string, number>;
  /** Per row: the metrics that failed the look that rolled back. */
  failedMetrics: Map<string, string[]>;
}

interface CpuTally {
  micros: number;
  windows: number;
}

interface Row {
  name: string;
  judge: Judge;
}

function run(plan: TrafficPlan, runSeed: number, rows: readonly Row[], cpu: Map<string, CpuTally>): RunOutcome {
  const rng = mulberry32(runSeed);
  const seconds: Second[] = [];
  const rollbackAt = new Map<string, number>();
  const failedMetrics = new Map<string, string[]>();
  const history = new Map<string, Verdict[]>(rows.map((row) => [row.name, []]));
  let failedChecks = 0;
  for (let t = 1; t <= runSeconds; t++) {
    seconds.push(simulateSecond(rng, plan));
    if (t % judgeEvery === 0) {
      const from = Math.max(0, t - windowSeconds);
      const results = [...measure(seconds, from, t, 'canary'), ...measure(seconds, from, t, 'baseline')];
      for (const row of rows) {
        if (rollbackAt.has(row.name)) continue;
        const earlier = history.get(row.name)!;
        const start = process.cpuUsage();
        const verdict = row.judge.judge({ window: { start: iso(from), end: iso(t) }, results, history: earlier });
        const used = process.cpuUsage(start);
        const tally = cpu.get(row.name)!;
        tally.micros += used.user + used.system;
        tally.windows++;
        earlier.push(verdict);
        if (verdict.outcome === 'fail') {
          rollbackAt.set(row.name, t);
          failedMetrics.set(row.name, verdict.evidence.filter((metric) => metric.outcome === 'fail').map((metric) => metric.metric));
        }
      }
    }
    if (t % flagger.interval === 0 && !rollbackAt.has(flagger.name)) {
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
      const lowSuccess = !(successRate >= flagger.minSuccessRate);
      const slow = !(p99 <= flagger.maxP99Ms);
      if (lowSuccess || slow) failedChecks++;
      if (failedChecks >= flagger.threshold) {
        rollbackAt.set(flagger.name, t);
        failedMetrics.set(flagger.name, [...(lowSuccess ? ['success rate'] : []), ...(slow ? ['p99'] : [])]);
      }
      const used = process.cpuUsage(start);
      const tally = cpu.get(flagger.name)!;
      tally.micros += used.user + used.system;
      tally.windows++;
    }
    if (rollbackAt.size === rows.length + 1) break;
  }
  return { rollbackAt, failedMetrics };
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

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;

interface ResultRow {
  judge: string;
  case: string;
  runs: number;
  rolledBack: number;
  within: number;
  median: number | undefined;
}

function main(): void {
  const wallStart = performance.now();
  const chosen = selectedJudges();
  const rows: Row[] = chosen.map((entry) => ({ name: entry.name, judge: createJudge(entry.settings) }));
  const names = [...rows.map((row) => row.name), flagger.name];
  const cpu = new Map<string, CpuTally>(names.map((name) => [name, { micros: 0, windows: 0 }]));
  console.log(`canary bench: ${200} req/s, canary 5%, baseline 5% (the reference of our judges), stable 90%; seed ${seed}`);
  console.log(`old version: latency log-normal median ${old.latencyMedianMs} ms sigma ${old.latencySigma} (p95 ${(old.latencyMedianMs * Math.exp(1.645 * old.latencySigma)).toFixed(0)} ms, p99 ${(old.latencyMedianMs * Math.exp(2.326 * old.latencySigma)).toFixed(0)} ms), errors ${old.errorRate * 100}%, conversion ${old.conversionRate * 100}%`);
  console.log(`runs: ${aaRuns} A/A, ${regressionRuns} per regression case; each up to ${runSeconds} simulated s; our judges every ${judgeEvery} s on a sliding ${windowSeconds} s window (from the start while shorter)`);
  console.log('statistical (stat-*): Mann-Whitney latency increase, error_rate increase, conversion decrease; tolerance 0.25, meanRatio allowed 1, one group; score pass 95 / marginal 75 (one metric of three high -> 66.7 -> fail)');
  console.log('threshold: p95(latency) canary <= baseline * 1.2; error rate <= 1.5% absolute (old 0.5% + 1 pp); conversion canary >= baseline * 0.7; minSamples 300 per variant (500 requests for error rate and conversion)');
  for (const entry of chosen) console.log(`  ${pad(entry.name, 15)}${entry.note}`);
  console.log(`flagger-style: canary only, every ${flagger.interval} s: request-success-rate >= ${flagger.minSuccessRate * 100}% and request-duration p99 <= ${flagger.maxP99Ms} ms (Flagger's builtin metric examples, interval 1m); rollback when failed checks reach threshold ${flagger.threshold}`);
  console.log('');

  const results: ResultRow[] = [];
  const aaFailedMetrics = new Map<string, Map<string, number>>(names.map((name) => [name, new Map()]));
  cases.forEach((testCase, caseIndex) => {
    const runs = caseIndex === 0 ? aaRuns : regressionRuns;
    const plan: TrafficPlan = { requestsPerSecond: 200, canaryShare: 0.05, baselineShare: 0.05, old, regression: testCase.regression, stableLatencies: false };
    const outcomes: RunOutcome[] = [];
    for (let i = 0; i < runs; i++) outcomes.push(run(plan, (seed * 1_000_003 + caseIndex * 100_000 + i) >>> 0, rows, cpu));
    for (const name of names) {
      const times = outcomes.map((o) => o.rollbackAt.get(name)).filter((t): t is number => t !== undefined);
      results.push({ judge: name, case: testCase.name, runs, rolledBack: times.length, within: times.filter((t) => t <= aimSeconds).length, median: median(times) });
      if (caseIndex !== 0) continue;
      const tally = aaFailedMetrics.get(name)!;
      for (const outcome of outcomes) for (const metric of outcome.failedMetrics.get(name) ?? []) tally.set(metric, (tally.get(metric) ?? 0) + 1);
    }
  });

  const header = `${pad('judge', 16)}${pad('case', 19)}${pad('runs', 6)}${pad('rolled back', 13)}${pad('within 30 s', 13)}median time to rollback`;
  console.log(header);
  console.log('-'.repeat(header.length + 10));
  for (const name of names) {
    for (const row of results.filter((r) => r.judge === name)) {
      const aa = row.case.startsWith('A/A');
      const label = aa ? `false rollback; 95% upper bound ${pct(binomialUpperBound(row.rolledBack, row.runs))}` : 'detected';
      console.log(`${pad(name, 16)}${pad(row.case, 19)}${pad(String(row.runs), 6)}${pad(pct(row.rolledBack / row.runs), 13)}${pad(pct(row.within / row.runs), 13)}${row.median === undefined ? '-' : `${row.median} s`}  (${label})`);
    }
  }
  console.log('');
  console.log('A/A false rollbacks by the metric that failed the look (one look can fail several):');
  for (const name of names) {
    const tally = [...aaFailedMetrics.get(name)!].map(([metric, count]) => `${metric} ${count}`).join(', ');
    console.log(`  ${pad(name, 16)}${tally === '' ? 'none' : tally}`);
  }
  console.log('');
  console.log(`CPU per judged window (process.cpuUsage, user + system):`);
  for (const name of names) {
    const tally = cpu.get(name)!;
    console.log(`  ${pad(name, 16)}${(tally.micros / Math.max(1, tally.windows) / 1000).toFixed(3)} ms over ${tally.windows} windows`);
  }
  console.log('');
  console.log(`aim: +50% p95 and +1 pp errors caught within ${aimSeconds} s (here: at least ${aimCaughtShare * 100}% of runs rolled back by ${aimSeconds} s) with at most ${aimFalseRate * 100}% false rollbacks in A/A`);
  for (const name of names) {
    const own = results.filter((r) => r.judge === name);
    const aa = own.find((r) => r.case.startsWith('A/A'))!;
    const falseRate = aa.rolledBack / aa.runs;
    const aimed = cases.filter((c) => c.aim).map((c) => own.find((r) => r.case === c.name)!);
    const misses = aimed.filter((r) => r.within / r.runs < aimCaughtShare);
    const parts = [`false rollbacks ${pct(falseRate)} ${falseRate <= aimFalseRate ? '<=' : '>'} ${aimFalseRate * 100}%`];
    parts.push(misses.length === 0 ? 'both regressions caught in time' : `too slow or missed: ${misses.map((r) => `${r.case} (${((r.within / r.runs) * 100).toFixed(0)}% by ${aimSeconds} s)`).join(', ')}`);
    const latencyHalf = falseRate <= aimFalseRate && !misses.some((r) => r.case === '+50% p95 latency');
    console.log(`  ${pad(name, 16)}${falseRate <= aimFalseRate && misses.length === 0 ? 'MEETS the aim' : latencyHalf ? 'meets the +50% p95 half only' : 'does NOT meet the aim'}: ${parts.join('; ')}`);
  }
  const bound = errorDetectionBound();
  console.log(`  bound: by ${aimSeconds} s the canary has served ~${200 * 0.05 * aimSeconds} requests, so ~${bound.oldMean.toFixed(1)} errors at the old rate vs ~${bound.newMean.toFixed(1)} after +1 pp; even one look with the old rate known exactly`);
  console.log(`         (roll back at >= ${bound.k} errors, <= ${aimFalseRate * 100}% false alarms) catches only ${(bound.power * 100).toFixed(0)}% of +1 pp regressions: no judge can meet that half of the aim at 10 canary req/s`);
  console.log(`\nwall time ${((performance.now() - wallStart) / 1000).toFixed(1)} s`);
}

main();
