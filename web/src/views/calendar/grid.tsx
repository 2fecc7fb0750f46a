import type { ReactNode } from 'react';
import { href } from '../../router';
import { inZone, localZone, pieceOn, pieceText, sameDay, type Piece } from './range';
import { selected, type Blackout, type Change, type Occurrence, type Scheduled } from './types';

interface Props {
  days: Date[];
  occurrences: Occurrence[];
  blackouts: Blackout[];
  changes: Change[];
  /** Rollouts running in the range, which hold their service until they end (from the conflicts answer). */
  running: Scheduled[];
  /** Refs (`change:ID`, `rollout:ID`) named by a conflict in the range. */
  inConflict: Set<string>;
  names: Map<string, string>;
  hasWindows: boolean;
}

interface Entry {
  key: string;
  kind: 'blackout' | 'deny' | 'allow' | 'change' | 'rollout';
  piece: Piece;
  node: ReactNode;
}

const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/**
 * The days of the range, each with what touches it: blackouts and deny windows (shaded), allow
 * windows, and the planned changes. Columns on a wide screen, a list of days on a phone.
 */
export function Grid({ days, hasWindows, ...rest }: Props) {
  const today = new Date();
  return (
    <ol className={`cal-grid span-${days.length}`} aria-label="Days">
      {days.map((day) => {
        const entries = entriesOn(day, rest);
        // A blackout (freeze) shades the day; a deny window, often daily and for a few services, shades only its own entry.
        const closed = entries.some((e) => e.kind === 'blackout');
        const planned = entries.filter((e) => e.kind === 'change').length;
        const running = entries.filter((e) => e.kind === 'rollout').length;
        return (
          <li key={day.toISOString()} className={`cal-day ${closed ? 'closed' : ''} ${sameDay(day, today) ? 'today' : ''} ${entries.length === 0 ? 'quiet' : ''}`}>
            <h3>
              <time dateTime={day.toISOString().slice(0, 10)}>{dayTitle.format(day)}</time>
              {sameDay(day, today) && <span className="badge live">today</span>}
              {planned > 0 && <span className="badge">{planned} planned</span>}
              {running > 0 && <span className="badge live">{running} running</span>}
            </h3>
            {entries.length === 0 ? (
              <p className="muted small">{hasWindows ? 'nothing planned, no window' : 'nothing planned'}</p>
            ) : (
              <ul>
                {entries.map((e) => (
                  <li key={e.key} className={`cal-entry ${e.kind}`}>
                    <span className="when">{pieceText(e.piece)}</span> {e.node}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}

const order: Record<Entry['kind'], number> = { blackout: 0, deny: 1, allow: 2, change: 3, rollout: 3 };

function entriesOn(day: Date, d: Omit<Props, 'days' | 'hasWindows'>): Entry[] {
  const entries: Entry[] = [];
  for (const b of d.blackouts) {
    const piece = pieceOn(day, new Date(b.from), new Date(b.to));
    if (piece) entries.push({ key: `b-${b.name}`, kind: 'blackout', piece, node: <><strong>Freeze {b.name}</strong> <span className="small">({selected(b.select)}){b.reason ? ` — ${b.reason}` : ''}</span></> });
  }
  for (const o of d.occurrences) {
    const start = new Date(o.start);
    const piece = pieceOn(day, start, new Date(o.end));
    if (!piece) continue;
    // The window's rule is written in its own zone: say so when it is not the viewer's.
    const own = o.timeZone !== localZone ? <span className="small muted"> (opens {inZone(start, o.timeZone)})</span> : null;
    entries.push({ key: `o-${o.name}-${o.start}`, kind: o.kind, piece, node: <><strong>{o.kind === 'allow' ? 'Window' : 'Deny'} {o.name}</strong>{own}</> });
  }
  for (const c of d.changes) {
    const piece = pieceOn(day, new Date(c.plannedStart), new Date(c.plannedEnd));
    if (!piece) continue;
    const conflict = d.inConflict.has(`change:${c.id}`);
    entries.push({
      key: `c-${c.id}`,
      kind: 'change',
      piece,
      node: (
        <>
          <a href={href({ view: 'upgrade', id: c.upgradeId })} title={c.id}>
            {d.names.get(c.upgradeId) ?? c.upgradeId} → {c.fields.targetVersion}
          </a>{' '}
          <span className="small muted ref">{c.id}</span>{' '}
          <span className={`badge ${c.status === 'authorized' ? 'good' : c.status === 'rejected' || c.status === 'canceled' ? 'muted' : 'warn'}`}>{c.status}</span>
          {conflict && <span className="badge bad">conflict</span>}
          <span className="small muted"> {c.fields.services.join(', ')}</span>
        </>
      ),
    });
  }
  for (const r of d.running) {
    const piece = pieceOn(day, new Date(r.start), new Date(r.end));
    if (!piece) continue;
    entries.push({
      key: `r-${r.ref}`,
      kind: 'rollout',
      piece,
      node: (
        <>
          <a href={href({ view: 'upgrade', id: r.upgradeId })} title={r.ref}>
            rollout of {d.names.get(r.upgradeId) ?? r.upgradeId}
          </a>{' '}
          <span className="badge live">running</span>
          {d.inConflict.has(r.ref) && <span className="badge bad">conflict</span>}
          <span className="small muted"> {r.services.join(', ')}</span>
        </>
      ),
    });
  }
  return entries.sort((a, b) => order[a.kind] - order[b.kind] || a.piece.from.getTime() - b.piece.from.getTime());
}
