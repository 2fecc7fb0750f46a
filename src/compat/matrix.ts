import type { MatrixPlan } from './plan.js';
import type { StoredCell, StoredRun, StoredWaiver } from './store/runs.js';
import type { CellStatus } from './types.js';

/**
 * The matrix as people read it (pure): rows × columns, each cell with its stored result, a waiver
 * or the state of its job, and the verdict the compat gate opens on. The gate opens only when every
 * required cell passed or was waived; a check that does not apply to a row has no cell.
 */

export type CellView =
  | { state: 'result'; status: CellStatus; waiver?: StoredWaiver; cell: StoredCell }
  | { state: 'queued' | 'running'; attempts: number; holder: string | null };

export type MatrixVerdict = 'pass' | 'fail' | 'pending';

export interface MatrixView {
  runId: string;
  upgradeId: string;
  runStatus: StoredRun['status'];
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  rows: MatrixPlan['consumers'];
  columns: MatrixPlan['checks'];
  /** consumer id -> check id -> cell; absent when the check does not apply to the row. */
  cells: Record<string, Record<string, CellView>>;
  counts: Record<CellStatus | 'waived' | 'queued' | 'running', number>;
  verdict: MatrixVerdict;
  /** The required cells that keep the gate closed, in plan order, each with its reason. */
  blocking: { consumerId: string; checkId: string; status: CellStatus | 'queued' | 'running'; summary: string }[];
  waivers: StoredWaiver[];
}

export interface JobState {
  consumerId: string;
  checkId: string;
  status: string;
  attempts: number;
  holder: string | null;
}

export function buildMatrix(run: StoredRun, cells: StoredCell[], waivers: StoredWaiver[], jobs: JobState[]): MatrixView {
  const key = (consumerId: string, checkId: string) => `${consumerId}\u0000${checkId}`;
  const stored = new Map(cells.map((cell) => [key(cell.consumerId, cell.checkId), cell]));
  const waived = new Map(waivers.map((waiver) => [key(waiver.consumerId, waiver.checkId), waiver]));
  const pending = new Map(jobs.map((job) => [key(job.consumerId, job.checkId), job]));
  const counts: MatrixView['counts'] = { pass: 0, fail: 0, skipped: 0, error: 0, waived: 0, queued: 0, running: 0 };
  const view: MatrixView['cells'] = {};
  const blocking: MatrixView['blocking'] = [];
  for (const planned of run.plan.cells) {
    const id = key(planned.consumerId, planned.checkId);
    const cell = stored.get(id);
    const waiver = waived.get(id);
    let entry: CellView;
    if (cell) {
      entry = waiver ? { state: 'result', status: cell.status, waiver, cell } : { state: 'result', status: cell.status, cell };
      counts[cell.status] += 1;
      if (waiver && cell.status !== 'pass') counts.waived += 1;
      if (planned.required && cell.status !== 'pass' && !waiver) blocking.push({ consumerId: planned.consumerId, checkId: planned.checkId, status: cell.status, summary: cell.summary });
    } else {
      const job = pending.get(id);
      const state = job?.status === 'running' ? 'running' : 'queued';
      entry = { state, attempts: job?.attempts ?? 0, holder: job?.holder ?? null };
      counts[state] += 1;
      if (planned.required) blocking.push({ consumerId: planned.consumerId, checkId: planned.checkId, status: state, summary: state === 'running' ? `running (attempt ${job?.attempts ?? 1})` : 'waiting for a worker' });
    }
    (view[planned.consumerId] ??= {})[planned.checkId] = entry;
  }
  // What decided first (fail, error), then what it stopped (skipped), then what is still to come.
  const rank = { fail: 0, error: 1, skipped: 2, running: 3, queued: 4, pass: 5 } as const;
  blocking.sort((a, b) => rank[a.status] - rank[b.status]);
  // A required failure decides the verdict even before the rest finish (only a waiver changes it).
  const verdict: MatrixVerdict = blocking.some(isFinalFailure) ? 'fail' : blocking.length > 0 ? 'pending' : 'pass';
  return {
    runId: run.id,
    upgradeId: run.upgradeId,
    runStatus: run.status,
    createdBy: run.createdBy,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    rows: run.plan.consumers,
    columns: run.plan.checks,
    cells: view,
    counts,
    verdict,
    blocking,
    waivers,
  };
}

function isFinalFailure(item: MatrixView['blocking'][number]): boolean {
  return item.status === 'fail' || item.status === 'error' || item.status === 'skipped';
}

/** One line for the gate's evidence: the verdict and what decided it. */
export function matrixSummary(view: MatrixView): string {
  const { counts } = view;
  const total = Object.values(view.cells).reduce((sum, row) => sum + Object.keys(row).length, 0);
  const parts = [`${counts.pass}/${total} cells pass`];
  if (counts.waived > 0) parts.push(`${counts.waived} waived`);
  if (counts.fail > 0) parts.push(`${counts.fail} fail`);
  if (counts.error > 0) parts.push(`${counts.error} error`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  const first = view.blocking[0];
  const blocked = first ? `; blocked by ${first.consumerId} × ${first.checkId}: ${first.summary}` : '';
  return `compatibility matrix ${view.verdict} (${view.rows.length} consumers × ${view.columns.length} checks): ${parts.join(', ')}${blocked}`;
}
