import { useMemo, useState } from 'react';
import { api, must, type Ok, type UpgradeItem, type UpgradeState } from '../api/client';
import { allPages } from '../api/pages';
import { Empty, Loading, Problem } from '../components/common';
import { useLoad } from '../data';
import { href } from '../router';

type Service = Ok<'/api/v1/services'>['items'][number];

/** The path's stages in order, then where an upgrade can end instead. */
export const stages: UpgradeState[] = ['intake', 'triaged', 'compat', 'canary', 'progressive', 'verifying', 'done'];
const terminal: UpgradeState[] = ['rolled_back', 'rejected', 'superseded'];

interface Filters {
  team: string;
  service: string;
  changeClass: string;
  decision: string;
  kev: boolean;
}
const none: Filters = { team: '', service: '', changeClass: '', decision: '', kev: false };

export function Board() {
  const upgrades = useLoad(
    () => allPages((cursor) => must(api.GET('/api/v1/upgrades', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))),
    [],
    (e) => e.type === 'upgrade.transitioned' || e.type === 'intake.completed' || e.type === 'rollout.updated',
  );
  const services = useLoad(() => allPages((cursor) => must(api.GET('/api/v1/services', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))), [], (e) => e.type === 'import.completed');
  const [filters, setFilters] = useState<Filters>(none);
  const owners = useMemo(() => new Map((services.data ?? []).map((s) => [s.name, s.owner ?? ''])), [services.data]);
  const shown = useMemo(() => filter(upgrades.data ?? [], filters, owners), [upgrades.data, filters, owners]);
  const byStage = useMemo(() => group(shown), [shown]);

  return (
    <>
      <h1>Pipeline</h1>
      <FilterBar filters={filters} onChange={setFilters} services={services.data ?? []} />
      <Problem error={upgrades.error ?? services.error} />
      {upgrades.loading && !upgrades.data && <Loading what="upgrades" />}
      {upgrades.data && upgrades.data.length === 0 && <Empty>No upgrades yet: run intake (<code>uf intake run</code>) to turn advisories and releases into upgrades.</Empty>}
      {upgrades.data && upgrades.data.length > 0 && (
        <>
          <p className="muted" aria-live="polite">
            {shown.length} of {upgrades.data.length} upgrades shown, riskiest first.
          </p>
          <div className="board" role="list" aria-label="Upgrades by stage">
            {stages.map((stage) => (
              <Column key={stage} stage={stage} items={byStage.get(stage) ?? []} terminal={false} />
            ))}
          </div>
          <h2 className="ended">Ended off the path</h2>
          <div className="board ended" role="list" aria-label="Upgrades that ended off the path">
            {terminal.map((stage) => (
              <Column key={stage} stage={stage} items={byStage.get(stage) ?? []} terminal />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function Column({ stage, items, terminal }: { stage: UpgradeState; items: UpgradeItem[]; terminal: boolean }) {
  const id = `stage-${stage}`;
  return (
    <section className={`column ${terminal ? 'terminal' : ''}`} role="listitem" aria-labelledby={id} data-stage={stage}>
      <h2 id={id}>
        {stage.replace('_', ' ')} <span className="count" data-testid={`count-${stage}`}>{items.length}</span>
      </h2>
      <ul>
        {items.map((u) => (
          <li key={u.id}>
            <a className="tile" href={href({ view: 'upgrade', id: u.id })}>
              <strong>{u.name}</strong> <span className="muted">{u.fromVersions.join(', ')} → {u.targetVersion}</span>
              <span className="tile-meta">
                <RiskChip risk={u.risk} />
                <span className="badge">{u.changeClass}</span>
                {u.risk?.kev && <span className="badge bad" title="a fixed advisory is in CISA's Known Exploited Vulnerabilities catalog">KEV</span>}
                {(stage === 'canary' || stage === 'progressive') && <span className="badge live">{u.weight}%</span>}
              </span>
              <span className="muted small">{u.services.join(', ')}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RiskChip({ risk }: { risk: UpgradeItem['risk'] }) {
  if (!risk) return <span className="badge muted" title="not scored yet">unscored</span>;
  const tone = risk.score >= 70 ? 'bad' : risk.score >= 40 ? 'warn' : 'good';
  return (
    <span className={`badge ${tone}`} title={`risk ${risk.score} of 100, SSVC ${risk.decision}`}>
      {risk.score} · {risk.decision}
    </span>
  );
}

function FilterBar({ filters, onChange, services }: { filters: Filters; onChange: (f: Filters) => void; services: Service[] }) {
  const teams = [...new Set(services.map((s) => s.owner).filter((o): o is string => !!o))].sort();
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  return (
    <form className="filters" aria-label="Filter upgrades" onSubmit={(e) => e.preventDefault()}>
      <label>
        Team
        <select value={filters.team} onChange={(e) => set({ team: e.target.value })}>
          <option value="">all</option>
          {teams.map((t) => <option key={t}>{t}</option>)}
        </select>
      </label>
      <label>
        Service
        <select value={filters.service} onChange={(e) => set({ service: e.target.value })}>
          <option value="">all</option>
          {services.map((s) => <option key={s.name}>{s.name}</option>)}
        </select>
      </label>
      <label>
        Class
        <select value={filters.changeClass} onChange={(e) => set({ changeClass: e.target.value })}>
          <option value="">all</option>
          <option>standard</option>
          <option>normal</option>
          <option>emergency</option>
        </select>
      </label>
      <label>
        SSVC
        <select value={filters.decision} onChange={(e) => set({ decision: e.target.value })}>
          <option value="">all</option>
          <option>act</option>
          <option>attend</option>
          <option>track*</option>
          <option>track</option>
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={filters.kev} onChange={(e) => set({ kev: e.target.checked })} /> KEV only
      </label>
      {JSON.stringify(filters) !== JSON.stringify(none) && (
        <button type="button" onClick={() => onChange(none)}>
          Clear filters
        </button>
      )}
    </form>
  );
}

function filter(items: UpgradeItem[], f: Filters, owners: Map<string, string>): UpgradeItem[] {
  return items
    .filter((u) => !f.service || u.services.includes(f.service))
    .filter((u) => !f.team || u.services.some((s) => owners.get(s) === f.team))
    .filter((u) => !f.changeClass || u.changeClass === f.changeClass)
    .filter((u) => !f.decision || u.risk?.decision === f.decision)
    .filter((u) => !f.kev || u.risk?.kev === true)
    .sort((a, b) => (b.risk?.score ?? -1) - (a.risk?.score ?? -1) || a.name.localeCompare(b.name));
}

function group(items: UpgradeItem[]): Map<UpgradeState, UpgradeItem[]> {
  const map = new Map<UpgradeState, UpgradeItem[]>();
  for (const u of items) map.set(u.state, [...(map.get(u.state) ?? []), u]);
  return map;
}
