import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** A failed load or action, in the server's own words (a refusal names its rule). */
export function Problem({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const code = error instanceof ApiError ? ` (${error.status} ${error.code})` : '';
  return (
    <p role="alert" className="error">
      {error.message}
      {code}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

/** Says plainly that something is not there (no data yet, nothing configured), instead of an empty frame. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="card">
      <header className="card-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

const stateTone: Record<string, string> = {
  done: 'good',
  rolled_back: 'bad',
  rejected: 'bad',
  superseded: 'muted',
  canary: 'live',
  progressive: 'live',
  verifying: 'live',
};

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge ${stateTone[state] ?? ''}`}>{state.replace('_', ' ')}</span>;
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  return <time dateTime={at} title={at}>{date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}
