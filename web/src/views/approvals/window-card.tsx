import { useId, useState, type FormEvent } from 'react';
import { api, must } from '../../api/client';
import { Problem, When } from '../../components/common';
import { useLoad } from '../../data';
import { href } from '../../router';
import { person, type Rollout } from './whose';

interface Props {
  rollout: Rollout;
  name: string | undefined;
  /** Whether the viewer may override (approver or admin; the server also refuses the initiator). */
  canOverride: boolean;
  onDone: (message: string) => void;
}

/** A rollout whose next promotion a closed change window holds back, with the window's verdict and the override. */
export function WindowCard({ rollout, name, canOverride, onDone }: Props) {
  const s = rollout.state;
  const weight = s.steps[s.step]?.weight ?? 0;
  const verdict = useLoad(() => must(api.GET('/api/v1/windows/services/{service}', { params: { path: { service: rollout.service }, query: {} } })), [rollout.service, rollout.updatedAt]);
  const headingId = `window-${rollout.id}`;
  return (
    <article className="card item" aria-labelledby={headingId}>
      <header className="item-head">
        <h3 id={headingId}>
          <a href={href({ view: 'upgrade', id: rollout.upgradeId })}>{name ?? rollout.upgradeId}</a> on {rollout.service}
        </h3>
        <span className="tile-meta">
          <span className="badge warn">held by a change window</span>
          <span className="badge live">
            step {s.step + 1} of {s.steps.length} · {weight}%
          </span>
        </span>
      </header>
      <dl className="facts">
        <dt>Started by</dt>
        <dd>{person(s.initiator)}</dd>
        <dt>Window now</dt>
        <dd>
          {verdict.data ? (
            <>
              <span className={`badge ${verdict.data.open ? 'good' : 'bad'}`}>{verdict.data.open ? 'open' : 'closed'}</span> {verdict.data.reason}
              {verdict.data.nextOpenAt && (
                <span className="muted">
                  {' '}
                  · opens <When at={verdict.data.nextOpenAt} />
                </span>
              )}
            </>
          ) : verdict.error ? (
            <Problem error={verdict.error} />
          ) : (
            <span className="muted">asking the server…</span>
          )}
        </dd>
      </dl>
      {canOverride && <Override rollout={rollout} what={`rollout of ${name ?? rollout.upgradeId} at ${weight}%`} onDone={onDone} />}
    </article>
  );
}

function Override({ rollout, what, onDone }: { rollout: Rollout; what: string; onDone: (message: string) => void }) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await must(api.POST('/api/v1/rollouts/{id}/override-window', { params: { path: { id: rollout.id } }, body: { reason: reason.trim() } }));
      setReason('');
      onDone(`Overrode the change window for ${what}: ${outcome.status === 'queued' ? 'queued for the engine' : `the rollout is now ${outcome.rollout.state.phase}`}.`);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="decide" onSubmit={(e) => void submit(e)} aria-label={`Override the change window for ${what}`}>
      <label htmlFor={id}>
        Reason <span className="muted small">(required, recorded in the log)</span>
      </label>
      <textarea id={id} rows={2} required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
      <div className="decide-buttons">
        <button type="submit" className="danger" disabled={busy || reason.trim() === ''}>
          Override window<span className="sr-only"> for {what}</span>
        </button>
      </div>
      <Problem error={error} />
    </form>
  );
}
