import { When } from '../../components/common';
import type { Conflicts } from './types';

type Conflict = Conflicts['conflicts'][number];

const kinds: { kind: Conflict['kind']; title: string }[] = [
  { kind: 'inside-blackout', title: 'In a blackout' },
  { kind: 'same-service', title: 'Same service at the same time' },
  { kind: 'dependency', title: 'A service and one it depends on at the same time' },
  { kind: 'outside-window', title: 'Outside an allowed window' },
];

/** The server's conflicts in the range, by kind: both parties, their services, and why in its words. */
export function ConflictList({ conflicts }: { conflicts: Conflicts }) {
  if (conflicts.conflicts.length === 0) {
    return <p className="empty">No conflicts among the {conflicts.changes.length} planned change(s) and running rollout(s) in this range.</p>;
  }
  const byRef = new Map(conflicts.changes.map((c) => [c.ref, c]));
  return (
    <>
      {kinds.map(({ kind, title }) => {
        const items = conflicts.conflicts.filter((c) => c.kind === kind);
        if (items.length === 0) return null;
        return (
          <details key={kind} className="conflict-kind" open={items.length <= 6}>
            <summary>
              {title} <span className="count">{items.length}</span>
            </summary>
            <ul className="conflicts">
              {items.map((c, i) => (
                <li key={`${c.changes.join('-')}-${c.services.join('-')}-${i}`}>
                  {c.text}
                  <div className="small muted">
                    {c.changes.map((ref) => (
                      <span key={ref} className="party">
                        {ref}: {byRef.get(ref)?.services.join(', ') ?? 'not in this range'}
                      </span>
                    ))}
                    {c.window && <span className="party">{kind === 'inside-blackout' ? 'blackout' : 'window'} {c.window}</span>}
                    <span className="party">
                      <When at={c.from} /> – <When at={c.to} />
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </>
  );
}
