/** A layered drawing of a dependency graph, computed in the browser (no graph library). */
export interface GraphNode {
  ref: string;
  label: string;
  /** False for refs a service depends on that are not services on the map (resources, APIs, unknown refs). */
  service: boolean;
}

export interface PlacedNode extends GraphNode {
  layer: number;
  x: number;
  y: number;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: { from: string; to: string }[];
  width: number;
  height: number;
}

export const box = { width: 132, height: 30, gapX: 14, gapY: 56, pad: 12 };

/**
 * Dependents above what they depend on: a node's layer is the longest chain of dependencies below
 * it (a node that depends on nothing sits in the bottom layer). Edges that close a cycle are left
 * out of the layering, not of the drawing. Within a layer, nodes are ordered by the mean position
 * of what they depend on (one barycentre pass, bottom up), which keeps most edges short.
 */
export function layoutGraph(nodes: GraphNode[], edges: { from: string; to: string }[]): Layout {
  const out = new Map<string, string[]>(nodes.map((n) => [n.ref, []]));
  for (const e of edges) out.get(e.from)?.push(e.to);
  const height = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (ref: string): number => {
    const known = height.get(ref);
    if (known !== undefined) return known;
    if (visiting.has(ref)) return 0;
    visiting.add(ref);
    const below = (out.get(ref) ?? []).map(depth);
    visiting.delete(ref);
    const h = below.length === 0 ? 0 : Math.max(...below) + 1;
    height.set(ref, h);
    return h;
  };
  for (const n of nodes) depth(n.ref);
  const layers: GraphNode[][] = [];
  for (const n of [...nodes].sort((a, b) => a.label.localeCompare(b.label))) (layers[height.get(n.ref)!] ??= []).push(n);

  const order = new Map<string, number>();
  layers.forEach((layer, index) => {
    if (index > 0) {
      const centre = (n: GraphNode) => {
        const targets = (out.get(n.ref) ?? []).map((t) => order.get(t)).filter((p): p is number => p !== undefined);
        return targets.length === 0 ? Number.POSITIVE_INFINITY : targets.reduce((a, b) => a + b, 0) / targets.length;
      };
      layer.sort((a, b) => centre(a) - centre(b));
    }
    layer.forEach((n, i) => order.set(n.ref, i - (layer.length - 1) / 2));
  });

  const widest = Math.max(1, ...layers.map((l) => l?.length ?? 0));
  const width = box.pad * 2 + widest * box.width + (widest - 1) * box.gapX;
  const top = layers.length - 1;
  const placed: PlacedNode[] = layers.flatMap((layer, index) =>
    (layer ?? []).map((n) => ({
      ...n,
      layer: index,
      x: width / 2 + order.get(n.ref)! * (box.width + box.gapX) - box.width / 2,
      y: box.pad + (top - index) * (box.height + box.gapY),
    })),
  );
  return { nodes: placed, edges, width, height: box.pad * 2 + layers.length * box.height + Math.max(0, layers.length - 1) * box.gapY };
}
