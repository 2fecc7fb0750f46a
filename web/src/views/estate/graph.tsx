import { useMemo } from 'react';
import { box, layoutGraph, type GraphNode } from './layout';

export interface Edge {
  from: string;
  to: string;
}

/**
 * The service map as a layered SVG: each service above what it depends on. Clicking a service selects
 * it; the selected service and its dependents (its blast radius) are highlighted. The edges are also
 * given as a list beside it for screen readers and keyboards (the drawing is one image to them).
 */
export function DependencyGraph({ nodes, edges, selected, dependents, onSelect }: {
  nodes: GraphNode[];
  edges: Edge[];
  selected: string | undefined;
  dependents: ReadonlySet<string>;
  onSelect: (ref: string) => void;
}) {
  const layout = useMemo(() => layoutGraph(nodes, edges), [nodes, edges]);
  const at = new Map(layout.nodes.map((n) => [n.ref, n]));
  const label = `Dependency graph of ${nodes.filter((n) => n.service).length} services and ${edges.length} dependencies; each service is drawn above what it depends on.`;
  return (
    <div className="graph-wrap">
      <svg className="graph" viewBox={`0 0 ${layout.width} ${layout.height}`} style={{ minWidth: Math.min(layout.width, 640) }} role="img" aria-label={label}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="arrow" />
          </marker>
        </defs>
        {layout.edges.map((e) => {
          const a = at.get(e.from);
          const b = at.get(e.to);
          if (!a || !b) return null;
          const x1 = a.x + box.width / 2;
          const y1 = a.y + box.height;
          const x2 = b.x + box.width / 2;
          const y2 = b.y;
          const mid = (y1 + y2) / 2;
          const hot = e.to === selected || (dependents.has(e.from) && (dependents.has(e.to) || e.to === selected));
          return <path key={`${e.from}>${e.to}`} d={`M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`} className={`edge ${hot ? 'hot' : ''}`} markerEnd="url(#arrow)" />;
        })}
        {layout.nodes.map((n) => {
          const state = n.ref === selected ? 'selected' : dependents.has(n.ref) ? 'dependent' : n.service ? '' : 'other';
          return (
            <g key={n.ref} className={`node ${state}`} transform={`translate(${n.x},${n.y})`} onClick={() => n.service && onSelect(n.ref)}>
              <title>{n.ref}</title>
              <rect width={box.width} height={box.height} rx={6} />
              <text x={box.width / 2} y={box.height / 2 + 4} textAnchor="middle">{n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label}</text>
            </g>
          );
        })}
      </svg>
      <p className="muted small legend-line">
        <span className="key selected" /> selected <span className="key dependent" /> depends on it, directly or not <span className="key other" /> not a service on the map
      </p>
    </div>
  );
}
