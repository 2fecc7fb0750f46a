import { api, must } from '../../api/client';
import { When } from '../../components/common';
import { href } from '../../router';
import { Decide } from './decide';
import { gateOf, person, type Rollout, type Whose } from './whose';

interface Props {
  rollout: Rollout;
  name: string | undefined;
  whose: Whose;
  canDecide: boolean;
  onDone: (message: string) => void;
}

/** One rollout held at an approval gate: where it stands, what the analysis said, and the decision. */
export function RolloutCard({ rollout, name, whose, canDecide, onDone }: Props) {
  const gate = gateOf(rollout)!;
  const s = rollout.state;
  const what = `rollout of ${name ?? rollout.upgradeId} at ${gate.weight}%`;
  const verdict = s.verdicts.filter((v) => v.attempt === s.attempt && v.step === s.step).at(-1);
  const headingId = `rollout-${rollout.id}`;
  const answer = (outcome: { status: string; rollout: Rollout }, decision: string) =>
    outcome.status === 'queued' ? `${decision} ${what}: queued, the engine applies it at its next turn.` : `${decision} ${what}: the rollout is now ${outcome.rollout.state.phase}.`;
  const approve = async (reason: string | undefined) =>
    answer(await must(api.POST('/api/v1/rollouts/{id}/approve', { params: { path: { id: rollout.id } }, body: reason ? { reason } : {} })), 'Approved');
  const reject = async (reason: string) => answer(await must(api.POST('/api/v1/rollouts/{id}/reject', { params: { path: { id: rollout.id } }, body: { reason } })), 'Rejected');
  return (
    <article className="card item" aria-labelledby={headingId}>
      <header className="item-head">
        <h3 id={headingId}>
          <a href={href({ view: 'upgrade', id: rollout.upgradeId })}>{name ?? rollout.upgradeId}</a> on {rollout.service}
        </h3>
        <span className="tile-meta">
          <span className="badge live">
            step {gate.step + 1} of {s.steps.length} · {gate.weight}%
          </span>
          <span className="badge warn">gate: {gate.role ?? 'any role'}</span>
          {s.attempt > 1 && <span className="badge">attempt {s.attempt}</span>}
        </span>
      </header>
      <dl className="facts">
        <dt>Started by</dt>
        <dd>{person(s.initiator)}</dd>
        <dt>Waiting since</dt>
        <dd>
          <When at={s.stepStartedAt ?? rollout.updatedAt} />
          {s.stepDeadlineAt && (
            <span className="muted">
              {' '}
              · step deadline <When at={s.stepDeadlineAt} />
            </span>
          )}
        </dd>
        <dt>Analysis</dt>
        <dd>
          {verdict ? (
            <>
              <span className={`badge ${verdict.verdict.outcome === 'pass' ? 'good' : verdict.verdict.outcome === 'fail' ? 'bad' : 'warn'}`}>{verdict.verdict.outcome}</span> {verdict.verdict.judge}: {verdict.verdict.reason}
            </>
          ) : (
            <span className="muted">no verdict at this step</span>
          )}
        </dd>
        <dt>Traffic</dt>
        <dd>
          canary {s.weights.canary}%{s.baseline ? `, baseline ${s.weights.baseline}%` : ''} {!s.weightsConfirmed && <span className="muted">(not confirmed by the router yet)</span>}
        </dd>
      </dl>
      <p className={`whose ${whose.mine ? 'mine' : ''}`}>{whose.why}</p>
      {canDecide && <Decide mine={whose.mine} what={what} approve={approve} reject={reject} onDone={onDone} />}
    </article>
  );
}
