import type { Ok } from '../../api/client';
import { Empty } from '../../components/common';

type Drift = Ok<'/api/v1/inventory/drift'>['items'][number];

/** The same component at different versions across a service's environments (or missing from one). */
export function DriftTable({ rows, environments }: { rows: Drift[]; environments: string[] }) {
  if (rows.length === 0) return <Empty>No drift: every service runs the same component versions in each environment.</Empty>;
  return (
    <div className="table-wrap">
      <table className="estate-table">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Component</th>
            {environments.map((env) => <th key={env} scope="col">{env}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={`${d.service} ${d.ecosystem} ${d.name}`}>
              <td>{d.service}</td>
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
  );
}
