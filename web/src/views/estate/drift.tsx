import type { Ok } from '../../api/client';
import { Empty } from '../../components/common';

type Drift = Ok<'/api/v1/inventory/drift'>['items'][number];

/**
 * The same component at different versions across a service's environments (or missing from one),
 * one collapsible group per service: a service in the middle of a migration can drift by dozens.
 */
export function DriftTable({ rows, environments }: { rows: Drift[]; environments: string[] }) {
  if (rows.length === 0) return <Empty>No drift: every service runs the same component versions in each environment.</Empty>;
  const byService = new Map<string, Drift[]>();
  for (const d of rows) byService.set(d.service, [...(byService.get(d.service) ?? []), d]);
  return (
    <>
      <p className="muted small">
        {rows.length} components differ across environments in {byService.size} services.
      </p>
      {[...byService].map(([service, items]) => (
        <details key={service} className="drift-group" open={items.length <= 6}>
          <summary>
            <strong>{service}</strong> <span className="badge warn">{items.length} {items.length === 1 ? 'component' : 'components'}</span>{' '}
            <span className="muted small">{summary(items, environments)}</span>
          </summary>
          <div className="table-wrap">
            <table className="estate-table">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  {environments.map((env) => <th key={env} scope="col">{env}</th>)}
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={`${d.ecosystem} ${d.name}`}>
                    <th scope="row">
                      {d.name} <span className="muted small">{d.ecosystem}</span>
                    </th>
                    {environments.map((env) => {
                      const versions = d.versions[env] ?? [];
                      return <td key={env}>{versions.length === 0 ? <span className="badge muted">absent</span> : versions.join(', ')}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ))}
    </>
  );
}

/** `41 absent from staging, 3 at other versions`: what kind of drift a group holds, before it is opened. */
function summary(items: Drift[], environments: string[]): string {
  const parts = environments.flatMap((env) => {
    const absent = items.filter((d) => (d.versions[env] ?? []).length === 0).length;
    return absent > 0 ? [`${absent} absent from ${env}`] : [];
  });
  const differ = items.filter((d) => environments.every((env) => (d.versions[env] ?? []).length > 0)).length;
  if (differ > 0) parts.push(`${differ} at different versions`);
  return parts.join(', ');
}
