import type { Rollout } from './types';

export interface WeightPoint {
  at: string;
  canary: number;
  baseline: number;
}

/**
 * The rollout's weights over time, from what the server recorded: its start (0%), each decision
 * that set weights (the engine writes them as "canary N%, baseline M%" and "traffic off"), the live
 * events, and its current weights.
 */
export function weightHistory(r: Rollout, live: WeightPoint[]): WeightPoint[] {
  const points: WeightPoint[] = [{ at: r.createdAt, canary: 0, baseline: 0 }];
  for (const d of r.decisions ?? []) {
    const w = weightsIn(d.reason);
    if (w) points.push({ at: d.at, ...w });
  }
  points.push(...live);
  points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const end = { at: r.updatedAt, canary: r.state.weights.canary, baseline: r.state.weights.baseline };
  const last = points[points.length - 1]!;
  if (Date.parse(end.at) >= Date.parse(last.at)) points.push(end);
  return points;
}

function weightsIn(text: string): { canary: number; baseline: number } | undefined {
  if (/traffic off/.test(text)) return { canary: 0, baseline: 0 };
  const canary = /\bcanary (\d+)%/.exec(text);
  if (!canary) return undefined;
  const baseline = /\bbaseline (\d+)%/.exec(text);
  return { canary: Number(canary[1]), baseline: baseline ? Number(baseline[1]) : 0 };
}
