import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import { parseConfig } from '../load.js';
import { resolveRolloutPolicy } from './rollout-policy.js';

const analyses = [
  'rollout:',
  '  analyses:',
  '    slo:',
  '      interval: 30s',
  '      window: 1m',
  '      metrics:',
  '        - { name: p95_latency, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95 } }',
  '        - { name: error_rate, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: error_rate } }',
  '      judge: { kind: threshold, checks: [{ metric: p95_latency, max: 250 }, { metric: error_rate, max: 0.01 }] }',
];
const file = (...lines: string[]) => ['version: 1', ...analyses, ...lines, ''].join('\n');
const problems = (text: string) => catchUfError(() => parseConfig(text, 'factory.yaml')).describe().split('\n');
const weights = (policy: { steps: { weight: number }[] }) => policy.steps.map((s) => s.weight);

describe('rollout: in factory.yaml', () => {
  it('loads without a rollout section, and refuses to resolve a rollout until an analysis exists', () => {
    const config = parseConfig('version: 1\n', 'factory.yaml');
    expect(config.rollout).toEqual({ analyses: {}, classes: {}, services: {} });
    expect(catchUfError(() => resolveRolloutPolicy(config, 'checkout', 'normal')).message).toContain('no rollout analysis is configured');
  });

  it('resolves the default steps per change class, emergency fewer and shorter, approvals on normal and emergency', () => {
    const config = parseConfig(file('  defaults: { analysis: slo }'), 'factory.yaml');
    const normal = resolveRolloutPolicy(config, 'checkout', 'normal');
    expect(weights(normal)).toEqual([5, 25, 50, 100]);
    expect(normal.steps[0]).toEqual({
      weight: 5,
      minDurationMs: 600_000,
      maxDurationMs: 7_200_000,
      minSamples: 100,
      analysis: { name: 'slo', intervalMs: 30_000, windowMs: 60_000 },
      gate: { kind: 'approval', role: 'approver' },
      onFailure: 'rollback',
    });
    expect(normal.steps.map((s) => s.gate.kind)).toEqual(['approval', 'approval', 'approval', 'auto']);
    const emergency = resolveRolloutPolicy(config, 'checkout', 'emergency');
    expect(weights(emergency)).toEqual([5, 50, 100]);
    expect(emergency.steps[0]!.minDurationMs).toBeLessThan(normal.steps[0]!.minDurationMs);
    expect(resolveRolloutPolicy(config, 'checkout', 'standard').steps.map((s) => s.gate.kind)).toEqual(['auto', 'auto', 'auto', 'auto']);
  });

  it('merges a service override over the class, field by field, steps replaced whole', () => {
    const config = parseConfig(
      file(
        '    kpi:',
        '      metrics: [{ name: conversion, source: { kind: http-json, url: "http://kpi.internal/conversion?variant={{variant}}", path: $.conversion } }]',
        '      judge: { kind: threshold, checks: [{ metric: conversion, minRatio: 0.95 }] }',
        '  defaults: { analysis: slo }',
        '  classes:',
        '    normal:',
        '      minDuration: 5m',
        '      steps: [{ weight: 10 }, { weight: 50, analysis: kpi, onFailure: pause }, { weight: 100 }]',
        '  services:',
        '    Checkout:',
        '      minSamples: 500',
        '      emergency: { analysis: kpi, steps: [{ weight: 20, minDuration: 1m }, { weight: 100, analysis: slo }] }',
        'deployers:',
        '  - { kind: command, service: checkout, deployCanary: [./deploy.sh, canary], promote: [./promote.sh], removeCanary: [./remove.sh] }',
      ),
      'factory.yaml',
    );
    const normal = resolveRolloutPolicy(config, 'checkout', 'normal');
    expect(normal.service).toBe('Checkout');
    expect(normal.deployer).toMatchObject({ kind: 'command', service: 'checkout', deployCanary: ['./deploy.sh', 'canary'] });
    expect(normal.steps.map((s) => [s.weight, s.analysis.name, s.minDurationMs, s.minSamples, s.onFailure])).toEqual([
      [10, 'slo', 300_000, 500, 'rollback'],
      [50, 'kpi', 300_000, 500, 'pause'],
      [100, 'slo', 300_000, 500, 'rollback'],
    ]);
    expect(weights(resolveRolloutPolicy(config, 'payments', 'normal'))).toEqual([10, 50, 100]);
    const emergency = resolveRolloutPolicy(config, 'checkout', 'emergency');
    expect(emergency.steps.map((s) => [s.weight, s.analysis.name, s.minDurationMs])).toEqual([
      [20, 'kpi', 60_000],
      [100, 'slo', 120_000],
    ]);
  });

  it('refuses a 100% step whose analysis only compares with a reference: nothing else has traffic there', () => {
    const kpi = ['    kpi:', '      metrics: [{ name: conversion, source: { kind: http-json, url: "http://kpi.internal/c?v={{variant}}", path: $.c } }]', '      judge: { kind: threshold, checks: [{ metric: conversion, minRatio: 0.95 }] }'];
    expect(problems(file(...kpi, '  defaults: { analysis: kpi }'))).toContainEqual(
      "factory.yaml:14: rollout.defaults.analysis: at 100% no traffic is left for a reference (stable or baseline), and analysis 'kpi' has only ratio limits on conversion: give the standard 100% step an analysis with absolute limits (a threshold judge with max or min on every check)",
    );
    const fine = parseConfig(file(...kpi, '  defaults: { analysis: kpi }', '  classes:', ...['standard', 'normal', 'emergency'].map((c) => `    ${c}: { steps: [{ weight: 5 }, { weight: 100, analysis: slo }] }`)), 'factory.yaml');
    expect(resolveRolloutPolicy(fine, 'checkout', 'standard').steps.map((s) => s.analysis.name)).toEqual(['kpi', 'slo']);
  });

  it('refuses impossible steps at their line and key path', () => {
    const text = file('  defaults: { analysis: slo }', '  classes:', '    normal:', '      steps: [{ weight: 25 }, { weight: 5 }, { weight: 50 }]', '    standard:', '      steps:', '        - { weight: 120 }');
    expect(problems(text)).toEqual([
      'factory.yaml:17: rollout.classes.standard.steps[0].weight: Too big: expected number to be <=100',
      'factory.yaml:14: rollout.classes.normal.steps[1].weight: steps must rise strictly: 5% comes after 25%',
      'factory.yaml:14: rollout.classes.normal.steps[2].weight: the last step must be 100%, not 50%',
    ]);
  });

  it('refuses unknown analyses, steps without analysis, unknown judge metrics and auto gates on normal changes', () => {
    const text = [
      'version: 1',
      'rollout:',
      '  analyses:',
      '    slo:',
      '      window: 10s',
      '      metrics: [{ name: p95_latency, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95 } }, { name: p95_latency, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95 } }]',
      '      judge: { kind: threshold, checks: [{ metric: p95_latncy, max: 250 }] }',
      '  classes:',
      '    standard: { analysis: slo }',
      '    normal: { analysis: slo, gate: auto }',
      '    emergency:',
      '      steps: [{ weight: 50, analysis: slow }, { weight: 100, minDuration: 5 }]',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      "factory.yaml:12: rollout.classes.emergency.steps[1].minDuration: a duration such as 30s, 5m, 1h30m or 500ms",
    ]);
    const fixed = text.replace('minDuration: 5 }', 'minDuration: 5m }');
    expect(problems(fixed)).toEqual([
      "factory.yaml:6: rollout.analyses.slo.metrics[1].name: metric 'p95_latency' is listed twice in analysis 'slo'",
      "factory.yaml:7: rollout.analyses.slo.judge.checks[0].metric: the judge names metric 'p95_latncy', which analysis 'slo' does not list (metrics: p95_latency)",
      'factory.yaml:10: rollout.classes.normal.gate: a normal change needs an approval to leave its 5% step: use gate { approval: { role } }',
      'factory.yaml:10: rollout.classes.normal.gate: a normal change needs an approval to leave its 25% step: use gate { approval: { role } }',
      'factory.yaml:10: rollout.classes.normal.gate: a normal change needs an approval to leave its 50% step: use gate { approval: { role } }',
      "factory.yaml:12: rollout.classes.emergency.steps[0].analysis: analysis 'slow' is not defined under rollout.analyses: defined are slo",
      'factory.yaml:11: rollout.classes.emergency: the emergency steps at 100% have no analysis: set analysis on rollout.defaults, rollout.classes.emergency or each step (no step runs without analysis)',
    ]);
  });

  it('refuses an analysis name it could not refer to', () => {
    const text = ['version: 1', 'rollout:', '  analyses:', '    Bad Name:', '      metrics: [{ name: p95, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95 } }]', '      judge: { kind: threshold, checks: [{ metric: p95, max: 250 }] }', ''].join('\n');
    expect(problems(text)).toEqual(['factory.yaml:4: rollout.analyses["Bad Name"]: an analysis name: lower-case letters, digits, "-" and "_", starting with a letter']);
  });

  it('refuses an analysis reading the built-in router without a window it keeps (60 s)', () => {
    const text = (window: string[]) =>
      ['version: 1', 'rollout:', '  analyses:', '    quick:', ...window, '      metrics: [{ name: p95, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95 } }]', '      judge: { kind: threshold, checks: [{ metric: p95, max: 250 }] }', '  defaults: { analysis: quick }', ''].join('\n');
    expect(problems(text([]))).toEqual(["factory.yaml:4: rollout.analyses.quick: metric 'p95' reads the built-in router, which keeps only the last 60 s: set window to 60s or less"]);
    expect(problems(text(['      window: 2m']))).toEqual(["factory.yaml:5: rollout.analyses.quick.window: metric 'p95' reads the built-in router, which keeps only the last 60 s: set window to 60s or less (not 2m)"]);
    expect(parseConfig(text(['      window: 45s']), 'factory.yaml').rollout.analyses.quick!.window).toBe('45s');
  });

  it('refuses a gate role that does not exist and a duration that is not strict', () => {
    const text = file('  defaults: { analysis: slo }', '  classes:', '    normal: { gate: { approval: { role: cab } }, minDuration: 1.5m }');
    expect(problems(text)).toEqual([
      'factory.yaml:13: rollout.classes.normal.minDuration: a duration such as 30s, 5m, 1h30m or 500ms',
      'factory.yaml:13: rollout.classes.normal.gate: a gate is auto or { approval: { role: ROLE } } with ROLE one of viewer, auditor, operator, service-owner, approver, security, admin',
    ]);
  });
});
