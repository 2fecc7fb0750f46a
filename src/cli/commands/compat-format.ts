import type { CellView, MatrixView } from '../../compat/matrix.js';
import { formatTable } from '../output.js';

/** A cell in one word: its status, `waived` over a failure that was waived, or its job's state. */
export function cellWord(cell: CellView | undefined): string {
  if (!cell) return '—';
  if (cell.state !== 'result') return cell.state === 'running' ? 'running…' : 'queued';
  if (cell.waiver && cell.status !== 'pass') return `waived(${cell.status})`;
  return cell.status;
}

/** The matrix as a table (rows: consumers; columns: checks), its verdict and what blocks the gate. */
export function formatMatrix(view: MatrixView): string {
  const headers = ['consumer', 'kind', ...view.columns.map((check) => `${check.id}${check.required ? '' : ' (optional)'}${check.tags.length > 0 ? ` [${check.tags.join(',')}]` : ''}`)];
  const rows = view.rows.map((row) => [row.id, row.kind, ...view.columns.map((check) => cellWord(view.cells[row.id]?.[check.id]))]);
  const { counts } = view;
  const lines = [
    `upgrade ${view.upgradeId} · run ${view.runId} (${view.runStatus}) · started by ${view.createdBy} at ${view.createdAt}`,
    '',
    formatTable(headers, rows),
    '',
    `verdict: ${view.verdict}  (pass ${counts.pass}, fail ${counts.fail}, error ${counts.error}, skipped ${counts.skipped}, waived ${counts.waived}, running ${counts.running}, queued ${counts.queued})`,
  ];
  const finished = view.blocking.filter((item) => item.status !== 'queued' && item.status !== 'running');
  if (finished.length > 0) {
    lines.push('', 'the compat gate stays closed on:');
    for (const item of finished) lines.push(`  ${item.consumerId} × ${item.checkId}: ${item.status}: ${item.summary}`);
    lines.push('', `fix the consumer, or waive a cell with a reason: uf compat waive ${view.upgradeId} <consumer> <check> --role <role> --reason "…"`);
  }
  for (const waiver of view.waivers) lines.push(`waiver ${waiver.id}: ${waiver.consumerId} × ${waiver.checkId} by ${waiver.actor} as ${waiver.role}: ${waiver.reason}`);
  return lines.join('\n');
}

/** One stored cell as a line, for logs and non-terminal output. */
export function formatCellLine(consumerId: string, checkId: string, cell: CellView): string {
  if (cell.state !== 'result') return `${consumerId} × ${checkId}: ${cell.state}`;
  const exit = cell.cell.exitCode !== null ? ` exit ${cell.cell.exitCode}` : '';
  return `${consumerId} × ${checkId}: ${cellWord(cell)} (${cell.cell.durationMs} ms${exit}) ${cell.cell.summary}`;
}
