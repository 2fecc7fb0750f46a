import { describe, expect, it } from 'vitest';
import { Driver, minute, policy } from '../../../test/helpers/rollout.js';
import { formatRollout } from './rollout-format.js';
import type { RolloutView } from '../../app/rollouts.js';

describe('uf rollout status', () => {
  it('shows the verification phase with its time left', () => {
    const d = new Driver({ policy: { ...policy('standard'), verification: { windowMs: 30 * minute, intervalMs: 5 * minute, baselineWindowMs: 30 * minute, onRegression: 'alert', checks: [{ analysis: 'slo' }] } } });
    d.settle();
    for (let i = 0; i < 10 && d.state.phase === 'analysing'; i++) d.analyse('pass');
    const view: RolloutView = { id: 'ro_1', upgradeId: 'upg_1', service: 'checkout', attempt: 1, createdAt: '', updatedAt: '', state: d.state };
    const now = new Date(Date.parse(d.state.verification!.startedAt!) + 12 * minute);
    const text = formatRollout(view, { now });
    expect(text).toContain('phase     verifying');
    expect(text).toMatch(/verify {4}18m left \(until .*\); started .*30m every 5m, on regression alert; checks slo/);
  });
});
