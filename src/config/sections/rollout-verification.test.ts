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
  '      judge: { kind: threshold, checks: [{ metric: p95_latency, max: 250 }] }',
  '    journeys:',
  '      interval: 1m',
  '      metrics:',
  '        - { name: checkout_ok, source: { kind: http-json, url: "http://127.0.0.1:9/probe/{{variant}}", path: "$.ok" } }',
  '      judge: { kind: threshold, checks: [{ metric: checkout_ok, min: 1 }] }',
  '    relative:',
  '      window: 1m',
  '      metrics:',
  '        - { name: p95_latency, source: { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95 } }',
  '      judge: { kind: threshold, checks: [{ metric: p95_latency, maxRatio: 1.2 }] }',
];
const file = (...lines: string[]) => ['version: 1', ...analyses, ...lines, ''].join('\n');
const problems = (text: string) => catchUfError(() => parseConfig(text, 'factory.yaml')).describe();
const prometheus = '{ kind: prometheus, url: "http://127.0.0.1:9090", query: "p95{service=\\"{{service}}\\",variant=\\"{{variant}}\\"}", mode: range }';

describe('rollout verification: in factory.yaml', () => {
  it('defaults to 30 minutes checked every minute with the 100% step’s analysis, alerting on a regression', () => {
    const config = parseConfig(file('  defaults: { analysis: slo }'), 'factory.yaml');
    expect(resolveRolloutPolicy(config, 'checkout', 'normal').verification).toEqual({
      windowMs: 1_800_000,
      intervalMs: 60_000,
      baselineWindowMs: 1_800_000,
      onRegression: 'alert',
      checks: [{ analysis: 'slo', windowMs: 60_000 }],
    });
  });

  it('merges key by key over the layers, with before/after metrics judged statistically by default', () => {
    const config = parseConfig(
      file(
        '  defaults:',
        '    analysis: slo',
        '    verification: { window: 1h, interval: 5m, checks: [slo, journeys] }',
        '  services:',
        '    checkout:',
        `      verification: { onRegression: rollback, metrics: [{ name: p95_latency, source: ${prometheus} }] }`,
      ),
      'factory.yaml',
    );
    const checkout = resolveRolloutPolicy(config, 'checkout', 'normal').verification!;
    expect(checkout).toMatchObject({ windowMs: 3_600_000, intervalMs: 300_000, onRegression: 'rollback', checks: [{ analysis: 'slo' }, { analysis: 'journeys' }] });
    expect(checkout.baseline!.judge).toMatchObject({ kind: 'statistical', metrics: [{ metric: 'p95_latency', direction: 'increase', tolerance: 0.25 }] });
    expect(resolveRolloutPolicy(config, 'billing', 'normal').verification).toMatchObject({ onRegression: 'alert', checks: [{ analysis: 'slo' }, { analysis: 'journeys' }] });
    expect(resolveRolloutPolicy(config, 'billing', 'normal').verification!.baseline).toBeUndefined();
  });

  it('refuses at load a check that is not an analysis, or that only compares with a reference, at its key path', () => {
    const text = problems(file('  defaults: { analysis: slo, verification: { checks: [slo, journey] } }', '  services: { checkout: { verification: { checks: [relative] } } }'));
    expect(text).toContain("rollout.defaults.verification.checks[1]: verification check 'journey' is not defined under rollout.analyses");
    expect(text).toContain("rollout.services.checkout.verification.checks[0]: verification runs at 100%, where no traffic is left for a reference, and analysis 'relative' has only ratio limits on p95_latency");
  });

  it('refuses an interval longer than the window, and a judge naming metrics the verification does not list', () => {
    expect(problems(file('  defaults: { analysis: slo, verification: { window: 5m, interval: 10m } }'))).toContain('rollout.defaults.verification.interval: the verification interval 10m is longer than its window 5m');
    const judge = problems(file(`  defaults: { analysis: slo, verification: { metrics: [{ name: p95_latency, source: ${prometheus} }], judge: { kind: statistical, metrics: [{ metric: error_rate }] } } }`));
    expect(judge).toContain("rollout.defaults.verification.judge.metrics[0].metric: the verification judge names metric 'error_rate', which verification.metrics does not list (metrics: p95_latency)");
    expect(problems(file('  defaults: { analysis: slo, verification: { checks: [] } }'))).toContain('verification has nothing to check');
  });
});
