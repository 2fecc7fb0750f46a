import { useId, useRef, useState, type FormEvent } from 'react';
import { Problem } from '../../components/common';

interface Props {
  /** Whether it is the viewer's to decide: the approve button is the primary action then. */
  mine: boolean;
  /** What is decided, for the buttons' accessible names: "change CHG0001", "rollout of axios at 5%". */
  what: string;
  approve: (reason: string | undefined) => Promise<string>;
  reject: (reason: string) => Promise<string>;
  /** Called with what the server answered, after a decision it accepted. */
  onDone: (message: string) => void;
}

/**
 * Approve or reject with a reason. A rejection needs one (both routes refuse it without); an
 * approval may carry one. The server's answer, a refusal included, is shown in its own words.
 */
export function Decide({ mine, what, approve, reject, onDone }: Props) {
  const reasonId = useId();
  const hintId = useId();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<string | undefined>();

  const run = async (decision: 'approve' | 'reject') => {
    const text = reason.trim();
    if (decision === 'reject' && !text) {
      setMissing(true);
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setMissing(false);
    setDone(undefined);
    try {
      const message = decision === 'approve' ? await approve(text || undefined) : await reject(text);
      setDone(message);
      setReason('');
      onDone(message);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('approve');
  };

  return (
    <form className="decide" onSubmit={submit} aria-label={`Decide on ${what}`}>
      <label htmlFor={reasonId}>Reason <span className="muted small">(required to reject, recorded in the log)</span></label>
      <textarea id={reasonId} ref={reasonRef} rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={missing || undefined} aria-describedby={missing ? hintId : undefined} />
      {missing && (
        <p id={hintId} className="error small">
          A rejection needs a reason.
        </p>
      )}
      <div className="decide-buttons">
        <button type="submit" className={mine ? 'primary' : undefined} disabled={busy}>
          Approve<span className="sr-only"> {what}</span>
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void run('reject')}>
          Reject<span className="sr-only"> {what}</span>
        </button>
      </div>
      <Problem error={error} />
      {done && (
        <p role="status" className="small">
          {done}
        </p>
      )}
    </form>
  );
}
