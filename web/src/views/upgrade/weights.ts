import type { Rollout } from './types';

export interface WeightPoint {
  at: string;
  canary: number;
  baseline: number;
}

/**
 * The rollout's weights over time, from what the server recorded: its start (0%), each weight
 * change the router confirmed (the rollout's `weights`), the live events received since the page
 * loaded, and its current weights.
 */
export function weightHistory(r: Rollout, live: WeightPoint[]): WeightPoint[] {
  const points: WeightPoint[] = [{ at: r.createdAt, canary: 0, baseline: 0 }, ...(r.weights ?? []), ...live];
  points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const end = { at: r.updatedAt, canary: r.state.weights.canary, baseline: r.state.weights.baseline };
  const last = points[points.length - 1]!;
  if (Date.parse(end.at) >= Date.parse(last.at)) points.push(end);
  return points;
}
