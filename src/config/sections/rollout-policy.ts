import type { DeployerSettings } from './deployers.js';
import type { z } from 'zod';
import { parseDuration } from '../../core/duration.js';
import { UfError } from '../../core/errors.js';
import { formatKeyPath } from '../../core/key-path.js';
import type { Role } from '../../core/roles.js';
import { defaultRolloutWeights, type ChangeClass } from '../../core/upgrade/index.js';
import type { AnalysisSetting, FailureAction, GateSetting, RolloutConfig, RolloutPolicySetting } from './rollout.js';
import { comparesOnly, mergeVerification, metricReferences, resolveVerification, verificationProblems, type ResolvedVerification } from './rollout-verification.js';

/**
 * How `rollout:` resolves to the steps of one service's rollout, and what is refused at load.
 *
 * Merge, most general first, each layer overriding the one before it field by field:
 *   the built-in default of the change class -> `rollout.defaults` -> `rollout.classes.<class>` -> `rollout.services.<s>`
 *   -> `rollout.services.<s>.<class>`.
 * `steps` is replaced whole by the last layer that sets it. A field written on a step beats the
 * same field of its own layer, and gives way to that field set on a later layer (so
 * `services.checkout.analysis` applies to steps taken from `classes.normal`). A layer's `gate`
 * applies to every step but the last: leaving the last step (100%) starts verification, which
 * the state machine opens on a passing analysis alone; write a gate on that step to hold it too.
 *
 * Refused at load, each at its key path:
 * - weights that do not rise strictly, or do not end at 100 (1..100 is the schema's);
 * - an analysis name not defined under `rollout.analyses`; a metric named twice in an analysis;
 *   a judge setting `metric: NAME` (anywhere in its settings) naming none of the analysis's metrics;
 * - a step without an analysis, in any class, the last step included: the state machine only
 *   promotes and starts verification on a passing analysis, so no step may skip one (emergency
 *   changes get fewer, shorter steps, never fewer analyses). While `rollout.analyses` is empty no
 *   rollout can start, and `resolveRolloutPolicy` says so; the defaults alone are not refused;
 * - a `normal` or `emergency` step before the last whose gate is not an approval: the state machine
 *   requires an approval by someone other than the initiator at every promotion of those classes;
 * - a `maxDuration` shorter than the `minDuration` it bounds;
 * - a `verification:` that cannot run (rollout-verification.ts): a check naming no analysis or one
 *   that only compares with a reference, an interval longer than the window, a judge naming
 *   metrics it does not list, nothing to check.
 */

export interface ResolvedGate {
  kind: 'auto' | 'approval';
  /** Who may approve, when `kind` is approval; never the initiator of the rollout. */
  role?: Role;
}

export interface ResolvedRolloutStep {
  weight: number;
  minDurationMs: number;
  /** Past this without enough samples the step pauses and asks a human (never a silent pass). */
  maxDurationMs: number;
  minSamples: number;
  analysis: { name: string; intervalMs: number; windowMs?: number };
  gate: ResolvedGate;
  onFailure: FailureAction;
}

export interface ResolvedRolloutPolicy {
  service: string;
  changeClass: ChangeClass;
  steps: ResolvedRolloutStep[];
  /** The service's entry under `deployers:`, when it has one. */
  deployer?: DeployerSettings;
  /**
   * What happens after 100% (rollout-verification.ts). Always set by `resolveRolloutPolicy`; a
   * policy without it (a rollout stored before verification existed) ends at 100%.
   */
  verification?: ResolvedVerification;
}

interface Layer {
  policy: RolloutPolicySetting;
  /** Key path of the layer in factory.yaml; undefined for the built-in default. */
  path: readonly PropertyKey[] | undefined;
}

const approver = { approval: { role: 'approver' } } as const satisfies GateSetting;

/** The built-in policy of each class: the default weights, emergency with shorter waits. */
export const defaultRolloutPolicies: Record<ChangeClass, RolloutPolicySetting> = {
  standard: { minDuration: '5m', maxDuration: '1h', minSamples: 50, onFailure: 'rollback', gate: 'auto', steps: defaultRolloutWeights.standard.map((weight) => ({ weight })) },
  normal: { minDuration: '10m', maxDuration: '2h', minSamples: 100, onFailure: 'rollback', gate: approver, steps: defaultRolloutWeights.normal.map((weight) => ({ weight })) },
  emergency: { minDuration: '2m', maxDuration: '30m', minSamples: 50, onFailure: 'rollback', gate: approver, steps: defaultRolloutWeights.emergency.map((weight) => ({ weight })) },
};

type StepField = 'minDuration' | 'maxDuration' | 'minSamples' | 'analysis' | 'onFailure' | 'gate';
const stepFields: readonly StepField[] = ['minDuration', 'maxDuration', 'minSamples', 'analysis', 'onFailure', 'gate'];

/** One field of one step as resolved, with the key path it was written at (undefined: built-in). */
interface Sourced<T> {
  value: T;
  path: readonly PropertyKey[] | undefined;
}

interface MergedStep {
  weight: Sourced<number>;
  path: readonly PropertyKey[] | undefined;
  fields: { [F in StepField]?: Sourced<NonNullable<RolloutPolicySetting[F]>> };
}

function layersOf(rollout: RolloutConfig, changeClass: ChangeClass, service: string | undefined): Layer[] {
  const layers: Layer[] = [{ policy: defaultRolloutPolicies[changeClass], path: undefined }];
  if (rollout.defaults) layers.push({ policy: rollout.defaults, path: ['rollout', 'defaults'] });
  const ofClass = rollout.classes[changeClass];
  if (ofClass) layers.push({ policy: ofClass, path: ['rollout', 'classes', changeClass] });
  if (service === undefined) return layers;
  const key = serviceKey(rollout, service);
  const ofService = key === undefined ? undefined : rollout.services[key];
  if (key === undefined || !ofService) return layers;
  layers.push({ policy: ofService, path: ['rollout', 'services', key] });
  const ofServiceClass = ofService[changeClass];
  if (ofServiceClass) layers.push({ policy: ofServiceClass, path: ['rollout', 'services', key, changeClass] });
  return layers;
}

/** The configured name of a service, matched case-insensitively as the catalog does. */
function serviceKey(rollout: RolloutConfig, service: string): string | undefined {
  return Object.keys(rollout.services).find((name) => name.toLowerCase() === service.toLowerCase());
}

function mergeLayers(layers: readonly Layer[]): MergedStep[] {
  let steps: MergedStep[] = [];
  let stepsLayer = -1;
  const general: { [F in StepField]?: Sourced<unknown> & { layer: number } } = {};
  layers.forEach((layer, index) => {
    const at = (...keys: PropertyKey[]) => (layer.path ? [...layer.path, ...keys] : undefined);
    for (const field of stepFields) {
      const value = layer.policy[field];
      if (value !== undefined) general[field] = { value, path: at(field), layer: index };
    }
    if (layer.policy.steps) {
      stepsLayer = index;
      steps = layer.policy.steps.map((step, i) => ({
        weight: { value: step.weight, path: at('steps', i, 'weight') },
        path: at('steps', i),
        fields: Object.fromEntries(stepFields.filter((f) => step[f] !== undefined).map((f) => [f, { value: step[f], path: at('steps', i, f) }])),
      }));
    }
  });
  return steps.map((step, i) => {
    const fields = { ...step.fields } as Record<StepField, Sourced<unknown> | undefined>;
    for (const field of stepFields) {
      const layerWide = general[field];
      if (!layerWide || (field === 'gate' && i === steps.length - 1)) continue;
      if (fields[field] === undefined || layerWide.layer > stepsLayer) fields[field] = layerWide;
    }
    return { ...step, fields: fields as MergedStep['fields'] };
  });
}

/** How far back the built-in router's `/stats?seconds=N` reaches. */
const builtinStatsWindowMs = 60_000;

interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

/** Problems of one merged policy; `where` names it in messages (`class normal`, `service checkout, class normal`). */
function problemsOf(rollout: RolloutConfig, changeClass: ChangeClass, steps: readonly MergedStep[], stepsPath: readonly PropertyKey[]): Problem[] {
  const problems: Problem[] = [];
  const analyses = Object.keys(rollout.analyses);
  const withoutAnalysis: number[] = [];
  steps.forEach((step, i) => {
    const path = step.path ?? stepsPath;
    const previous = steps[i - 1];
    if (previous && step.weight.value <= previous.weight.value) {
      problems.push({ path: step.weight.path ?? path, message: `steps must rise strictly: ${step.weight.value}% comes after ${previous.weight.value}%` });
    }
    const analysis = step.fields.analysis;
    if (analysis && !analyses.includes(analysis.value)) {
      const known = analyses.length > 0 ? `: defined are ${analyses.join(', ')}` : ': rollout.analyses defines none';
      problems.push({ path: analysis.path ?? path, message: `analysis '${analysis.value}' is not defined under rollout.analyses${known}` });
    }
    if (!analysis && analyses.length > 0) withoutAnalysis.push(step.weight.value);
    const gate = step.fields.gate?.value ?? 'auto';
    if (changeClass !== 'standard' && i < steps.length - 1 && gate === 'auto') {
      problems.push({ path: step.fields.gate?.path ?? path, message: `a ${changeClass} change needs an approval to leave its ${step.weight.value}% step: use gate { approval: { role } }` });
    }
    const min = step.fields.minDuration;
    const max = step.fields.maxDuration;
    if (min && max && parseDuration(max.value)! < parseDuration(min.value)!) {
      problems.push({ path: max.path ?? min.path ?? path, message: `maxDuration ${max.value} is shorter than minDuration ${min.value} at the ${step.weight.value}% step` });
    }
  });
  if (withoutAnalysis.length > 0) {
    const policyPath = stepsPath.slice(0, -1);
    problems.push({
      path: policyPath,
      message: `the ${changeClass} steps at ${withoutAnalysis.join('%, ')}% have no analysis: set analysis on ${policyPath[1] === 'defaults' ? '' : 'rollout.defaults, '}${formatKeyPath(policyPath)} or each step (no step runs without analysis)`,
    });
  }
  const last = steps.at(-1);
  if (last && last.weight.value !== 100 && last.weight.value <= 100) problems.push({ path: last.weight.path ?? stepsPath, message: `the last step must be 100%, not ${last.weight.value}%` });
  const finalAnalysis = last?.fields.analysis;
  const comparing = finalAnalysis && rollout.analyses[finalAnalysis.value] ? comparesOnly(rollout.analyses[finalAnalysis.value]!) : undefined;
  if (last && finalAnalysis && comparing) {
    problems.push({
      path: finalAnalysis.path ?? last.path ?? stepsPath,
      message: `at 100% no traffic is left for a reference (stable or baseline), and analysis '${finalAnalysis.value}' ${comparing}: give the ${changeClass} 100% step an analysis with absolute limits (a threshold judge with max or min on every check)`,
    });
  }
  return problems;
}

function analysisProblems(name: string, analysis: AnalysisSetting): Problem[] {
  const base = ['rollout', 'analyses', name];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  analysis.metrics.forEach((metric, i) => {
    if (seen.has(metric.name)) problems.push({ path: [...base, 'metrics', i, 'name'], message: `metric '${metric.name}' is listed twice in analysis '${name}'` });
    seen.add(metric.name);
  });
  // The built-in router keeps the last 60 s: without a window the analysis measures from the step's
  // start, which grows past what the router can answer, and every later analysis would be inconclusive.
  const builtin = analysis.metrics.findIndex((m) => m.source.kind === 'builtin');
  const windowMs = analysis.window === undefined ? undefined : parseDuration(analysis.window);
  if (builtin >= 0 && (windowMs === undefined || windowMs > builtinStatsWindowMs)) {
    problems.push({
      path: analysis.window === undefined ? [...base] : [...base, 'window'],
      message: `metric '${analysis.metrics[builtin]!.name}' reads the built-in router, which keeps only the last 60 s: set window to 60s or less${analysis.window === undefined ? '' : ` (not ${analysis.window})`}`,
    });
  }
  for (const reference of metricReferences(analysis.judge, [...base, 'judge'])) {
    if (!seen.has(reference.name)) {
      problems.push({ path: reference.path, message: `the judge names metric '${reference.name}', which analysis '${name}' does not list (metrics: ${[...seen].join(', ')})` });
    }
  }
  return problems;
}

/** The load-time checks of `rollout:` (see the top of this file), as zod issues at their key paths. */
export function checkRolloutPolicies(rollout: RolloutConfig, ctx: z.RefinementCtx): void {
  const problems: Problem[] = Object.entries(rollout.analyses).flatMap(([name, analysis]) => analysisProblems(name, analysis));
  const services: (string | undefined)[] = [undefined, ...Object.keys(rollout.services)];
  for (const service of services) {
    for (const changeClass of ['standard', 'normal', 'emergency'] as const) {
      const layers = layersOf(rollout, changeClass, service);
      const stepsPath = [...layers.filter((l) => l.policy.steps).at(-1)?.path ?? ['rollout', 'classes', changeClass], 'steps'];
      const steps = mergeLayers(layers);
      problems.push(...problemsOf(rollout, changeClass, steps, stepsPath));
      problems.push(...verificationProblems(rollout, mergeVerification(layers), steps.at(-1)?.fields.analysis?.value, layers.at(-1)?.path ?? ['rollout', 'defaults']));
    }
  }
  const reported = new Set<string>();
  for (const problem of problems) {
    const key = `${formatKeyPath(problem.path)}\n${problem.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    // The refinement runs on `rollout`, and zod prefixes its path.
    ctx.addIssue({ code: 'custom', path: [...problem.path.slice(1)], message: problem.message });
  }
}

/**
 * The effective steps of one service's rollout for a change class: the merge described at the top
 * of this file, durations in milliseconds. Refuses (config_invalid, at a key path) a policy that
 * cannot run: no analysis configured, or any problem load would have refused.
 */
export function resolveRolloutPolicy(config: { rollout: RolloutConfig; deployers: readonly DeployerSettings[] }, service: string, changeClass: ChangeClass): ResolvedRolloutPolicy {
  const { rollout } = config;
  const layers = layersOf(rollout, changeClass, service);
  const steps = mergeLayers(layers);
  const stepsPath = [...layers.filter((l) => l.policy.steps).at(-1)?.path ?? ['rollout', 'classes', changeClass], 'steps'];
  if (Object.keys(rollout.analyses).length === 0) {
    throw new UfError('config_invalid', `no rollout analysis is configured: define one under rollout.analyses and name it in rollout.defaults.analysis; no step runs without analysis`, {
      path: 'rollout.analyses',
    });
  }
  const verification = mergeVerification(layers);
  const problem = [...problemsOf(rollout, changeClass, steps, stepsPath), ...verificationProblems(rollout, verification, steps.at(-1)?.fields.analysis?.value, layers.at(-1)?.path ?? ['rollout', 'defaults'])][0];
  if (problem) throw new UfError('config_invalid', problem.message, { path: formatKeyPath(problem.path) });
  const key = serviceKey(rollout, service);
  const deployer = config.deployers.find((d) => d.service.toLowerCase() === service.toLowerCase());
  return {
    service: key ?? service,
    changeClass,
    ...(deployer ? { deployer } : {}),
    verification: resolveVerification(rollout, verification, steps.at(-1)!.fields.analysis!.value),
    steps: steps.map((step) => {
      const f = step.fields;
      const analysis = rollout.analyses[f.analysis!.value]!;
      const gate = f.gate?.value ?? 'auto';
      return {
        weight: step.weight.value,
        minDurationMs: parseDuration(f.minDuration!.value)!,
        maxDurationMs: parseDuration(f.maxDuration!.value)!,
        minSamples: f.minSamples!.value,
        analysis: { name: f.analysis!.value, intervalMs: parseDuration(analysis.interval)!, ...(analysis.window ? { windowMs: parseDuration(analysis.window)! } : {}) },
        gate: gate === 'auto' ? { kind: 'auto' } : { kind: 'approval', role: gate.approval.role },
        onFailure: f.onFailure!.value,
      };
    }),
  };
}
