import { api, must } from '../../api/client';
import { When } from '../../components/common';
import { href } from '../../router';
import { Decide } from './decide';
import { person, type Change, type Whose } from './whose';

interface Props {
  change: Change;
  name: string | undefined;
  whose: Whose;
  canDecide: boolean;
  onDone: (message: string) => void;
}

/** One change awaiting approval, laid out as a change approver reads it in ServiceNow. */
export function ChangeCard({ change, name, whose, canDecide, onDone }: Props) {
  const live = change.approvals.filter((a) => a.voidedAt === null);
  const voided = change.approvals.length - live.length;
  const headingId = `change-${change.id}`;
  const decide = (decision: 'approve' | 'reject') => async (reason: string | undefined) => {
    const body = { scopeDigest: change.scopeDigest, ...(reason ? { reason } : {}) };
    const params = { path: { id: change.id } };
    const view = await must(decision === 'approve' ? api.POST('/api/v1/changes/{id}/approve', { params, body }) : api.POST('/api/v1/changes/{id}/reject', { params, body }));
    return `${decision === 'approve' ? 'Approved' : 'Rejected'} ${view.id}: now ${view.status} (${view.approvalsGiven} of ${view.rule.count} approvals).`;
  };
  return (
    <article className="card item" aria-labelledby={headingId}>
      <header className="item-head">
        <h3 id={headingId}>
          {change.id} <span className="muted">·</span> <a href={href({ view: 'upgrade', id: change.upgradeId })}>{name ?? change.upgradeId}</a> → {change.fields.targetVersion}
        </h3>
        <span className="tile-meta">
          <span className={`badge ${change.changeClass === 'emergency' ? 'bad' : ''}`}>{change.changeClass}</span>
          <Risk risk={change.fields.risk} />
          <span className="badge warn">
            {change.approvalsGiven} of {change.rule.count} approvals
          </span>
          {change.rule.board && <span className="badge">change board</span>}
        </span>
      </header>
      <dl className="facts">
        <dt>Rule</dt>
        <dd>{change.rule.why}</dd>
        <dt>Planned</dt>
        <dd>
          <When at={change.plannedStart} /> – <When at={change.plannedEnd} />
        </dd>
        <dt>Requested by</dt>
        <dd>
          {person(change.requestedBy)} <span className="muted">· implementer {person(change.implementer)}</span>
        </dd>
        <dt>Services</dt>
        <dd>
          {change.fields.services.join(', ')}
          {change.fields.affectedServices.length > change.fields.services.length && (
            <span className="muted"> · blast radius {change.fields.affectedServices.length}: {change.fields.affectedServices.filter((s) => !change.fields.services.includes(s)).join(', ')}</span>
          )}
        </dd>
        <dt>Decisions</dt>
        <dd>
          {live.length === 0 ? <span className="muted">none yet</span> : (
            <ul className="plain">
              {live.map((a) => (
                <li key={a.id}>
                  <span className={`badge ${a.decision === 'approve' ? 'good' : 'bad'}`}>{a.decision === 'approve' ? 'approved' : 'rejected'}</span> {person(a.by)} ({a.role}) <When at={a.at} />
                  {a.reason && <span className="muted"> — {a.reason}</span>}
                </li>
              ))}
            </ul>
          )}
          {voided > 0 && <span className="muted small"> {voided} earlier decision(s) voided by a scope edit.</span>}
        </dd>
      </dl>
      <details>
        <summary>Justification, plans and backout</summary>
        <dl className="facts">
          {change.fields.risk && (
            <>
              <dt>Risk</dt>
              <dd>{change.fields.risk.summary}</dd>
            </>
          )}
          <dt>Justification</dt>
          <dd className="pre">{change.fields.justification}</dd>
          <dt>Implementation plan</dt>
          <dd className="pre">{change.fields.implementationPlan}</dd>
          <dt>Backout plan</dt>
          <dd className="pre">
            {change.fields.backoutPlan} <span className="muted">(about {change.fields.backoutTime}, {change.fields.backoutTimeSource})</span>
          </dd>
          <dt>Test plan</dt>
          <dd className="pre">{change.fields.testPlan}</dd>
          <dt>Scope digest</dt>
          <dd>
            <code title={change.scopeDigest}>{change.scopeDigest.slice(0, 12)}…</code> <span className="muted small">an approval is for this scope; an edit voids it</span>
          </dd>
        </dl>
      </details>
      <p className={`whose ${whose.mine ? 'mine' : ''}`}>{whose.why}</p>
      {canDecide && <Decide mine={whose.mine} what={`change ${change.id}`} approve={decide('approve')} reject={decide('reject')} onDone={onDone} />}
    </article>
  );
}

function Risk({ risk }: { risk: Change['fields']['risk'] }) {
  if (!risk) return <span className="badge muted" title="the upgrade was never scored">risk unscored</span>;
  const tone = risk.score >= 70 ? 'bad' : risk.score >= 40 ? 'warn' : 'good';
  return (
    <span className={`badge ${tone}`} title={`risk ${risk.score} of 100, SSVC ${risk.decision}`}>
      risk {risk.score} · {risk.decision}
    </span>
  );
}
