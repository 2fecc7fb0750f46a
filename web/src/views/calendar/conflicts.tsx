import { When } from '../../components/common';
import type { Conflicts } from './types';

const kindText: Record<Conflicts['conflicts'][number]['kind'], string> = {
  'same-service': 'same service',
  dependency: 'dependency',
  'outside-window': 'outside its window',
  'inside-blackout': 'in a blackout',
};

/** The server's conflicts in the range: both parties, the services, and why, in its words. */
export function ConflictList({ conflicts }: { conflicts: Conflicts }) {
  if (conflicts.conflicts.length === 0) {
    return <p className="empty">No conflicts among the {conflicts.changes.length} planned change(s) and running rollout(s) in this range.</p>;
  }
  const byRef = new Map(conflicts.changes.map((c) => [c.ref, c]));
  return (
    <ul className="conflicts">
      {conflicts.conflicts.map((c, i) => (
        <li key={`${c.kind}-${c.changes.join('-')}-${i}`}>
          <span className="badge bad">{kindText[c.kind]}</span> {c.text}
          <div className="small muted">
            {c.changes.map((ref) => {
              const party = byRef.get(ref);
              return (
                <span key={ref} className="party">
                  {ref}: {party ? party.services.join(', ') : 'not in this range'}
                </span>
              );
            })}
            {c.window && <span className="party">window {c.window}</span>}
            <span className="party">
              <When at={c.from} /> – <When at={c.to} />
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
