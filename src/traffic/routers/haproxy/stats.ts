import { UfError } from '../../../core/errors.js';
import { haproxyServerStatSchema, type HaproxyServerStat } from './schema.js';
import type { HaproxyServerCounters } from './types.js';

/** Parses `show stat` CSV (header line `# pxname,svname,…`) into server rows; other rows are dropped. */
export function parseShowStat(output: string): HaproxyServerStat[] {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined || !header.startsWith('# ')) {
    throw new UfError('source_unavailable', `HAProxy answered \`show stat\` without its CSV header: ${lines[0] ?? 'nothing'}`);
  }
  const columns = header.slice(2).split(',');
  const rows: HaproxyServerStat[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const record = Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
    if (record.svname === 'FRONTEND' || record.svname === 'BACKEND') continue;
    const parsed = haproxyServerStatSchema.safeParse(record);
    if (!parsed.success) {
      throw new UfError('source_unavailable', 'HAProxy answered `show stat` with a row uf cannot read', {
        record: `${record.pxname ?? ''}/${record.svname ?? ''}`,
        path: parsed.error.issues[0]?.path.join('.') ?? '',
      });
    }
    rows.push(parsed.data);
  }
  return rows;
}

/** A server takes new requests from the balancer only while it is up (health checks) and not in maintenance. */
export function weightInForce(row: HaproxyServerStat): number {
  const status = row.status.toUpperCase();
  if (status.startsWith('DOWN') || status.startsWith('MAINT') || status.includes('NOLB')) return 0;
  return row.weight;
}

export function countersOf(row: HaproxyServerStat): HaproxyServerCounters {
  return {
    status: row.status,
    weight: row.weight,
    sessions: row.stot,
    balancerPicks: row.lbtot,
    responses2xx: row.hrsp_2xx,
    responses5xx: row.hrsp_5xx,
  };
}

/** Canary share in percent from the two weights in force, rounded to a whole percent. */
export function canaryShare(stable: number, canary: number): { canary: number; stable: number } {
  if (stable + canary === 0) return { canary: 0, stable: 0 };
  const share = Math.round((100 * canary) / (stable + canary));
  return { canary: share, stable: 100 - share };
}

/**
 * Whole-percent shares from the weights in force of a backend with a baseline server: canary and
 * baseline rounded each, stable the rest (so the three add up to 100); all 0 when nothing is up.
 */
export function weightShares(stable: number, canary: number, baseline: number): { canary: number; stable: number; baseline: number } {
  const total = stable + canary + baseline;
  if (total === 0) return { canary: 0, stable: 0, baseline: 0 };
  const canaryPct = Math.round((100 * canary) / total);
  const baselinePct = Math.min(100 - canaryPct, Math.round((100 * baseline) / total));
  return { canary: canaryPct, stable: 100 - canaryPct - baselinePct, baseline: baselinePct };
}
