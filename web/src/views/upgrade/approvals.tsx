import { useState, type FormEvent } from 'react';
import { api, ApiError, must, type Role } from '../../api/client';
import { Empty, Loading, Problem, Section, When } from '../../components/common';
import { useLoad } from '../../data';
import { useSession } from '../../session';
import { aboutUpgrade, type Rollout } from './types';

// The roles the server lets through (src/api/routes/rollouts.ts): approvals need a writing role (the
// engine then checks the gate's role and that the person did not start the rollout); commands need an operator role.
const writingRoles: Role[] = ['operator', 'service-owner', 'approver', 'security', 'admin'];
const operatorRoles: Role[] = ['operator', 'service-owner', 'admin'];

type Action = 'approve' | 'reject' | 'promote' | 'pause' | 'resume' | 'abort';
const pastTense: Record<Action, string> = { approve: 'approved', reject: 'rejected', promote: 'promoted', pause: 'paused', resume: 'resumed', abort: 'aborted' };

/** The gate and command buttons of a live rollout, each shown only to roles the server accepts; a refusal is shown in the server's words. */
export function GateActions({ rollout: r, onDone }: { rollout: Rollout; onDone: () => void }) {
  const { can } = useSession();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();
  const s = r.state;
  const step = s.steps[s.step];
  const waiting = s.phase === 'awaiting-approval';
  // Approve and reject answer an approval gate; an automatic gate has nothing to approve (abort stops it instead).
  const mayApprove = can(...writingRoles) && step?.gate.kind === 'approval';
  const mayCommand = can(...operatorRoles);
  if (!mayApprove && !mayCommand) return null;

  const send = async (action: Action) => {
    if (action === 'reject' && !reason.trim()) {
      setProblem(new Error('a rejection needs a reason: write it in the Reason field'));
      return;
    }
    setBusy(true);
    setProblem(undefined);
    setOutcome(undefined);
    try {
      const answer = await must(call(action, r.id, reason.trim()));
      setOutcome(answer.status === 'queued' ? `${action}: queued, the engine takes it up on its next turn` : `${pastTense[action]}${answer.decisions.length > 0 ? `: ${answer.decisions.map((d) => d.text).join('; ')}` : ''}`);
      setReason('');
      onDone();
    } catch (error) {
      setProblem(error instanceof Error ? error : new ApiError(0, 'unknown', String(error)));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => e.preventDefault();
  const gate = step?.gate.kind === 'approval' ? `needs approval${step.gate.role ? ` by ${step.gate.role}` : ''}, never by ${s.initiator}` : 'opens by itself on a passing analysis';
  return (
    <form className="gate" onSubmit={submit} aria-label={`Actions on the rollout of ${r.service}`}>
      <p className="small">
        {waiting ? <strong>Waiting for approval of step {s.step + 1} ({step?.weight}%).</strong> : <>Step {s.step + 1} ({step?.weight}%) {gate}.</>}
        {waiting && <> This gate {gate}.</>}
      </p>
      <label htmlFor={`reason-${r.id}`}>Reason <span className="muted small">(recorded in the operation log; a rejection needs one)</span></label>
      <textarea id={`reason-${r.id}`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      <div className="buttons">
        {mayApprove && (
          <>
            <button type="button" className={waiting ? 'primary' : ''} disabled={busy} onClick={() => void send('approve')}>
              Approve step {s.step + 1} ({step?.weight}%)
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void send('reject')}>
              Reject and roll back
            </button>
          </>
        )}
        {mayCommand && (
          <>
            {(s.phase === 'analysing' || s.phase === 'promoting') && <button type="button" disabled={busy} onClick={() => void send('promote')}>Promote (skip the wait)</button>}
            {s.phase === 'paused' ? (
              <button type="button" disabled={busy} onClick={() => void send('resume')}>Resume</button>
            ) : (
              <button type="button" disabled={busy} onClick={() => void send('pause')}>Pause</button>
            )}
            <button type="button" className="danger" disabled={busy} onClick={() => void send('abort')}>Abort (traffic off)</button>
          </>
        )}
      </div>
      <div aria-live="polite">
        <Problem error={problem} />
        {outcome && <p className="ok-text">{outcome}</p>}
      </div>
      {s.approvals.length > 0 && (
        <ul className="small">
          {s.approvals.map((a, i) => (
            <li key={i}>
              Step {a.step + 1} (attempt {a.attempt}): {a.decision === 'approve' ? 'approved' : 'rejected'} by {a.by} ({a.role}), <When at={a.at} />
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function call(action: Action, id: string, reason: string) {
  const params = { path: { id } };
  const body = reason ? { reason } : {};
  switch (action) {
    case 'approve':
      return api.POST('/api/v1/rollouts/{id}/approve', { params, body });
    case 'reject':
      return api.POST('/api/v1/rollouts/{id}/reject', { params, body: { reason } });
    case 'promote':
      return api.POST('/api/v1/rollouts/{id}/promote', { params, body });
    case 'pause':
      return api.POST('/api/v1/rollouts/{id}/pause', { params, body });
    case 'resume':
      return api.POST('/api/v1/rollouts/{id}/resume', { params, body });
    case 'abort':
      return api.POST('/api/v1/rollouts/{id}/abort', { params, body });
  }
}

/** The change record of this upgrade: its approval rule, the approvals given and those it still needs. */
export function ChangeRecord({ upgradeId }: { upgradeId: string }) {
  const change = useLoad(() => must(api.GET('/api/v1/changes/{id}', { params: { path: { id: upgradeId } } })), [upgradeId], aboutUpgrade(upgradeId, ['change.updated', 'upgrade.transitioned']));
  const missing = change.error instanceof ApiError && change.error.status === 404;
  const c = change.data;
  return (
    <Section title="Approvals">
      {missing ? <Empty>No change record for this upgrade ({change.error?.message}); one opens when an upgrade enters compat.</Empty> : <Problem error={change.error} />}
      {!c && !change.error && <Loading what="the change record" />}
      {c && (
        <>
          <p>
            Change <code>{c.id}</code> <span className={`badge ${c.status === 'authorized' ? 'good' : c.status === 'rejected' ? 'bad' : 'warn'}`}>{c.status}</span> <span className="badge">{c.changeClass}</span>
          </p>
          <p>
            <strong>{c.approvalsGiven}</strong> of <strong>{c.rule.count}</strong> approval(s){c.rule.board ? ', including the change board' : ''}: <span className="small">{c.rule.why}</span>
          </p>
          <p className="small muted">
            Requested by {c.requestedBy}, implemented by {c.implementer} (neither may approve). Planned <When at={c.plannedStart} /> – <When at={c.plannedEnd} />.
          </p>
          {c.approvals.length === 0 ? (
            <Empty>No approval given yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Role</th><th scope="col">Decision</th><th scope="col">Reason</th></tr>
                </thead>
                <tbody>
                  {c.approvals.map((a) => (
                    <tr key={a.id} className={a.voidedAt ? 'voided' : ''}>
                      <td><When at={a.at} /></td>
                      <td>{a.by}</td>
                      <td>{a.role}</td>
                      <td>
                        <span className={`badge ${a.decision === 'approve' ? 'good' : 'bad'}`}>{a.decision}</span>
                        {a.voidedAt && <span className="small"> voided <When at={a.voidedAt} />: {a.voidReason}</span>}
                      </td>
                      <td className="small">{a.reason ?? <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {c.reviewRequired && (
            <p className={c.reviewOverdue ? 'bad-text' : 'small'}>
              Post-hoc review {c.reviewedAt ? <>done by {c.reviewedBy}, <When at={c.reviewedAt} />: {c.reviewNotes}</> : <>due <When at={c.reviewDueAt} />{c.reviewOverdue ? ' (overdue)' : ''}</>}
            </p>
          )}
        </>
      )}
    </Section>
  );
}
