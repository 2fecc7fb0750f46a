import type { Ok } from '../../api/client';
import { Empty, Loading, Problem } from '../../components/common';

export type Dependents = Ok<'/api/v1/entities/{ref}/dependents'>;

/** What breaks with a service: its direct and transitive dependents, each with the path that reaches it. */
export function BlastRadius({ name, data, error }: { name: string; data: Dependents | undefined; error: Error | undefined }) {
  return (
    <div aria-live="polite">
      <h3>Blast radius of {name}</h3>
      <Problem error={error} />
      {!data && !error && <Loading what="dependents" />}
      {data && data.transitive.length === 0 && <Empty>Nothing on the service map depends on {name}.</Empty>}
      {data && data.transitive.length > 0 && (
        <>
          <p>
            {data.direct.length} direct and {data.transitive.length} in all (direct and transitive) depend on {name}.
          </p>
          <ul className="plain">
            {data.transitive.map((hit) => (
              <li key={hit.ref}>
                <strong>{short(hit.ref)}</strong> <span className="badge">{hit.depth === 1 ? 'direct' : `${hit.depth} steps`}</span>{' '}
                <span className="muted small">{hit.path.map(short).join(' → ')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** `component:default/payments` reads as `payments`; other kinds keep their kind. */
export function short(ref: string): string {
  const m = /^([a-z]+):(?:default\/)?(.*)$/i.exec(ref);
  if (!m) return ref;
  return m[1]!.toLowerCase() === 'component' ? m[2]! : `${m[1]!.toLowerCase()}:${m[2]!}`;
}
