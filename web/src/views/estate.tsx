import { useMemo, useState } from 'react';
import { api, must } from '../api/client';
import { allPages } from '../api/pages';
import { Empty, Loading, Problem, Section } from '../components/common';
import { useLoad } from '../data';
import { BlastRadius, short } from './estate/blast';
import { DriftTable } from './estate/drift';
import { EndOfLifeList } from './estate/end-of-life';
import { DependencyGraph } from './estate/graph';
import type { GraphNode } from './estate/layout';
import { ServicesTable } from './estate/services';
import './estate/estate.css';

/** The estate: the service map, its dependency graph, inventory drift and end-of-support deadlines. */
export default function Estate() {
  const imported = (e: { type: string }) => e.type === 'import.completed';
  const services = useLoad(() => allPages((cursor) => must(api.GET('/api/v1/services', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))), [], imported);
  const info = useLoad(() => must(api.GET('/api/v1/info')), []);
  const drift = useLoad(() => allPages((cursor) => must(api.GET('/api/v1/inventory/drift', { params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } } }))), [], imported);
  const endOfLife = useLoad(() => must(api.GET('/api/v1/inventory/end-of-life')), [], (e) => e.type === 'intake.completed');
  const [selected, setSelected] = useState<string>();
  const dependents = useLoad(() => (selected ? must(api.GET('/api/v1/entities/{ref}/dependents', { params: { path: { ref: selected } } })) : Promise.resolve(undefined)), [selected], imported);

  const list = useMemo(() => services.data ?? [], [services.data]);
  const environments = useMemo(() => {
    const configured = info.data?.environments ?? [];
    const seen = new Set(list.flatMap((s) => Object.keys(s.components)));
    return [...configured, ...[...seen].filter((e) => !configured.includes(e)).sort()];
  }, [info.data, list]);
  const { nodes, edges } = useMemo(() => graphOf(list), [list]);
  const hit = useMemo(() => new Set(dependents.data?.ref === selected ? (dependents.data?.transitive ?? []).map((h) => h.ref) : []), [dependents.data, selected]);
  const selectedName = list.find((s) => s.ref === selected)?.name ?? (selected ? short(selected) : '');

  return (
    <>
      <h1>Estate</h1>
      <Problem error={services.error} />
      {services.loading && !services.data && <Loading what="the service map" />}
      {services.data && list.length === 0 && <Empty>No services yet: import a service map (<code>uf import catalog catalog-info.yaml</code>).</Empty>}
      {list.length > 0 && (
        <>
          <Section title="Services">
            <ServicesTable services={list} environments={environments} selected={selected} onSelect={setSelected} />
          </Section>
          <Section title="Dependency graph">
            {edges.length === 0 ? (
              <Empty>No service on the map declares a dependency (<code>spec.dependsOn</code>).</Empty>
            ) : (
              <div className="graph-layout">
                <DependencyGraph nodes={nodes} edges={edges} selected={selected} dependents={hit} onSelect={(ref) => setSelected(ref === selected ? undefined : ref)} />
                <div>
                  {selected ? <BlastRadius name={selectedName} data={dependents.data?.ref === selected ? dependents.data : undefined} error={dependents.error} /> : <p className="muted">Select a service (in the drawing or with its Blast radius button) to see what depends on it.</p>}
                  <details className="edges">
                    <summary>All {edges.length} dependencies as a list</summary>
                    <ul className="plain">
                      {edges.map((e) => (
                        <li key={`${e.from}>${e.to}`}>
                          {short(e.from)} depends on {short(e.to)}
                        </li>
                      ))}
                    </ul>
                  </details>
                </div>
              </div>
            )}
          </Section>
        </>
      )}
      <Section title="Inventory drift">
        <Problem error={drift.error} />
        {drift.loading && !drift.data && <Loading what="drift" />}
        {drift.data && <DriftTable rows={drift.data} environments={environments} />}
      </Section>
      <Section title="End of support">
        <Problem error={endOfLife.error} />
        {endOfLife.loading && !endOfLife.data && <Loading what="end-of-support deadlines" />}
        {endOfLife.data && <EndOfLifeList data={endOfLife.data} />}
      </Section>
    </>
  );
}

/** Nodes for every service and every ref a service depends on; one edge per `dependsOn` entry. */
function graphOf(services: { ref: string; name: string; dependsOn: string[] }[]): { nodes: GraphNode[]; edges: { from: string; to: string }[] } {
  const nodes = new Map<string, GraphNode>(services.map((s) => [s.ref, { ref: s.ref, label: s.name, service: true }]));
  const edges: { from: string; to: string }[] = [];
  for (const s of services) {
    for (const to of s.dependsOn) {
      if (!nodes.has(to)) nodes.set(to, { ref: to, label: to.replace(/^.*\//, ''), service: false });
      edges.push({ from: s.ref, to });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
