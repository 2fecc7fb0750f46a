import type { Ok } from '../../api/client';

export type Service = Ok<'/api/v1/services'>['items'][number];

/** The service map as a table: owner, tier, lifecycle, system, traffic share and component counts per environment. */
export function ServicesTable({ services, environments, selected, onSelect }: {
  services: Service[];
  environments: string[];
  selected: string | undefined;
  onSelect: (ref: string | undefined) => void;
}) {
  return (
    <div className="table-wrap estate-wrap">
      <table className="estate-table">
        <caption className="muted small">Component counts are per environment, from the imported inventories.</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Owner</th>
            <th scope="col">Tier</th>
            <th scope="col">Lifecycle</th>
            <th scope="col">System</th>
            <th scope="col">Traffic share</th>
            {environments.map((env) => <th key={env} scope="col">Components in {env}</th>)}
            <th scope="col"><span className="visually-hidden">Blast radius</span></th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.ref} className={s.ref === selected ? 'selected-row' : undefined}>
              <th scope="row">
                {s.name}
                {s.title && s.title !== s.name && <span className="sub muted small">{s.title}</span>}
                {s.criticalPaths.length > 0 && <span className="sub small">critical path: {s.criticalPaths.join(', ')}</span>}
              </th>
              <td>{s.owner ? plain(s.owner) : <span className="muted">none</span>}</td>
              <td>{s.tier ? <span className={`badge ${s.tier === 'critical' ? 'bad' : s.tier === 'high' ? 'warn' : ''}`}>{s.tier}</span> : <span className="muted">—</span>}</td>
              <td>{s.lifecycle ?? <span className="muted">—</span>}</td>
              <td>{s.system ? plain(s.system) : <span className="muted">—</span>}</td>
              <td>{s.trafficShare === undefined ? <span className="muted">not recorded</span> : `${formatShare(s.trafficShare)}`}</td>
              {environments.map((env) => <td key={env} className="num">{s.components[env] ?? 0}</td>)}
              <td>
                <button type="button" className="nowrap" aria-pressed={s.ref === selected} onClick={() => onSelect(s.ref === selected ? undefined : s.ref)}>
                  {s.ref === selected ? 'Clear' : 'Blast radius'}
                  <span className="visually-hidden"> of {s.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function formatShare(share: number): string {
  const pct = share * 100;
  return `${pct >= 10 || Number.isInteger(pct) ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** `group:default/team-payments` reads as `team-payments`; the full ref is in the title. */
function plain(ref: string) {
  return <span title={ref}>{ref.replace(/^[a-z]+:(default\/)?/i, '')}</span>;
}
