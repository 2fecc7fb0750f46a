import type { AppRoot } from '../app/root.js';
import type { RolloutView, Rollouts } from '../app/rollouts.js';
import { UfError } from '../core/errors.js';
import { finalPhases } from '../rollout/engine/index.js';
import { passDemoGates } from './gates.js';
import { startLoad, type LoadGenerator, type TargetCounts } from './load.js';
import { demoRatePerSecond, userHeader, type ScenarioPick } from './scenario.js';

/** Starts the demo's rollouts: cannot approve them. */
export const initiator = 'user:demo-release-engineer';
/** Approves waiting gates; holds the approver role and started none of the rollouts. */
export const approver = 'user:demo-approver';

/** How long the rollouts may take before the demo stops waiting and reports what it has. */
const stageDeadlineMs = 150_000;
const pollMs = 500;

/** A case with the upgrade it rolls out. */
export type Chosen = ScenarioPick & { upgradeId: string };

/**
 * Runs the three rollouts: passes each upgrade's gates up to compat, starts the load, starts the
 * rollouts as the initiator and drives them (`runLoop`) while the approver persona approves each
 * waiting gate, the initiator having tried once to approve their own. Ends when every rollout
 * has ended (or waits for a human the demo has none of), or at the deadline; stops the load.
 */
export async function runRollouts(
  root: AppRoot,
  rollouts: Rollouts,
  picks: readonly Chosen[],
  routers: { service: string; url: string }[],
  say: (line: string) => void,
): Promise<{ views: RolloutView[]; load: Record<string, TargetCounts> }> {
  for (const pick of picks) {
    const deployer = root.adapters.deployerFor(pick.service);
    if (!deployer) throw new UfError('config_invalid', `the demo's factory.yaml has no deployer for ${pick.service}`, { path: 'deployers' });
    await passDemoGates(root, pick, deployer);
  }
  say(`load: ${demoRatePerSecond} requests/s through each of ${routers.length} built-in routers`);
  const load: LoadGenerator = startLoad({
    targets: routers.map((r) => ({ name: r.service, url: r.url })),
    ratePerSecond: demoRatePerSecond,
    users: 5_000,
    userHeader,
    maxInFlight: 200,
    path: '/checkout',
    timeoutMs: 5_000,
  });
  const stop = new AbortController();
  let loop: Promise<void> | undefined;
  const ids: string[] = [];
  try {
    for (const pick of picks) {
      const view = await rollouts.start({ upgradeId: pick.upgradeId, service: pick.service, actor: initiator, baseline: true });
      ids.push(view.id);
      say(`rollout ${view.id}: ${pick.service} ${pick.component} ${pick.fromVersion} -> ${pick.toVersion} started by ${initiator}`);
    }
    loop = rollouts.runLoop({ signal: stop.signal, intervalMs: pollMs });
    const deadline = performance.now() + stageDeadlineMs;
    let triedSelfApproval = false;
    const approved = new Set<string>();
    let settledRounds = 0;
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      const states = await Promise.all(ids.map(async (id) => (await rollouts.get(id)).state));
      for (const state of states) {
        if (state.phase !== 'awaiting-approval') continue;
        const gate = `${state.rolloutId}/${state.attempt}/${state.step}`;
        if (approved.has(gate)) continue;
        if (!triedSelfApproval) {
          triedSelfApproval = true;
          const self = await rollouts.submit(state.rolloutId, { type: 'approval', by: initiator, roles: ['approver'], decision: 'approve', reason: 'approving my own rollout' });
          say(`self-approval by ${initiator}: ${self.status}${self.refusal ? ` (${self.refusal})` : ''}`);
        }
        const answer = await rollouts.submit(state.rolloutId, { type: 'approval', by: approver, roles: ['approver'], decision: 'approve', reason: 'analysis passed; approved for the next step' });
        if (answer.status !== 'queued') approved.add(gate);
        say(`approval by ${approver} at ${state.steps[state.step]?.weight ?? '?'}% of ${state.service}: ${answer.status}${answer.refusal ? ` (${answer.refusal})` : ''}`);
      }
      // Ended (or waiting for a human the demo has none of): let the loop finish the clean-up actions.
      if (states.every((s) => finalPhases.includes(s.phase) || s.phase === 'paused')) settledRounds += 1;
      if (settledRounds >= 3) break;
    }
  } finally {
    stop.abort();
    await loop;
    await load.stop();
  }
  return { views: await Promise.all(ids.map((id) => rollouts.get(id))), load: load.counts() };
}
