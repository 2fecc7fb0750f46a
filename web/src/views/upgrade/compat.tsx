import { api, ApiError, must } from '../../api/client';
import { Empty, Loading, Problem, Section } from '../../components/common';
import { useLoad } from '../../data';
import { aboutUpgrade, type Matrix } from './types';

type CellView = Matrix['cells'][string][string];
const tone: Record<string, string> = { pass: 'good', fail: 'bad', error: 'bad', waived: 'warn', skipped: 'muted', queued: 'live', running: 'live' };

/** Consumers × checks of the latest matrix run; each cell opens to its evidence. */
export function CompatMatrix({ id }: { id: string }) {
  const matrix = useLoad(() => must(api.GET('/api/v1/upgrades/{id}/compat', { params: { path: { id } } })), [id], aboutUpgrade(id, ['compat.updated', 'upgrade.transitioned']));
  const missing = matrix.error instanceof ApiError && matrix.error.status === 404;
  return (
    <Section title="Compatibility">
      {missing ? <Empty>{matrix.error?.message}</Empty> : <Problem error={matrix.error} />}
      {!matrix.data && !matrix.error && <Loading what="the compatibility matrix" />}
      {matrix.data && <Grid matrix={matrix.data} />}
    </Section>
  );
}

function Grid({ matrix: m }: { matrix: Matrix }) {
  const counts = Object.entries(m.counts).filter(([, n]) => n > 0);
  return (
    <>
      <p>
        Verdict <span className={`badge ${tone[m.verdict] ?? 'live'}`}>{m.verdict}</span>{' '}
        <span className="small muted">
          run {m.runId} ({m.runStatus}) by {m.createdBy}; {counts.map(([k, n]) => `${n} ${k}`).join(', ')}
        </span>
      </p>
      {m.blocking.length > 0 && (
        <ul className="small">
          {m.blocking.map((b) => <li key={`${b.consumerId}/${b.checkId}`} className="bad-text">Blocking: {b.consumerId} × {b.checkId}: {b.status}: {b.summary}</li>)}
        </ul>
      )}
      <div className="table-wrap">
        <table className="matrix">
          <caption className="sr-only">Consumers by check</caption>
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              {m.columns.map((c) => (
                <th scope="col" key={c.id} title={`${c.kind}, phase ${c.phase}${c.required ? ', required' : ', optional'}`}>
                  {c.id}
                  {!c.required && <span className="muted"> (optional)</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.name} <span className="small muted">{r.kind}{r.kind !== 'service' ? ` of ${r.service}` : ''}</span>
                </th>
                {m.columns.map((c) => {
                  const cell = m.cells[r.id]?.[c.id];
                  return <td key={c.id}>{cell ? <Cell cell={cell} /> : <span className="muted small" title="this check does not apply to this consumer">n/a</span>}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {m.waivers.length > 0 && (
        <>
          <h3>Waivers</h3>
          <ul className="small">
            {m.waivers.map((w) => (
              <li key={w.id}>
                {w.consumerId} × {w.checkId}: waived by {w.actor} ({w.role}), <time dateTime={w.createdAt}>{new Date(w.createdAt).toLocaleString()}</time>: “{w.reason}”
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Cell({ cell }: { cell: CellView }) {
  if (cell.state !== 'result') return <span className="badge live">{cell.state}{cell.holder ? ` on ${cell.holder}` : ''}</span>;
  const c = cell.cell;
  const e = c.evidence;
  return (
    <details className="cell">
      <summary>
        <span className={`badge ${tone[cell.status] ?? ''}`}>{cell.status}</span> <span className="small">{c.summary}</span>
      </summary>
      <div className="small">
        {cell.waiver && <p>Waived by {cell.waiver.actor} ({cell.waiver.role}): “{cell.waiver.reason}”</p>}
        <p className="muted">
          {c.ruleId ? `rule ${c.ruleId}; ` : ''}
          {c.exitCode !== null ? `exit ${c.exitCode}; ` : ''}
          {c.durationMs} ms, {c.attempts} attempt(s) on {c.worker}
        </p>
        {e.findings.length > 0 && (
          <ul>
            {e.findings.map((f, i) => (
              <li key={i}>
                <span className={`badge ${f.level === 'error' ? 'bad' : f.level === 'warning' ? 'warn' : ''}`}>{f.level}</span> {f.text}{' '}
                <span className="muted">{f.ruleId}{f.location ? ` at ${f.location}` : ''}</span>
              </li>
            ))}
          </ul>
        )}
        {e.stdout && <pre>{e.stdout}</pre>}
        {e.stderr && <pre>{e.stderr}</pre>}
        {e.details && Object.keys(e.details).length > 0 && <pre>{JSON.stringify(e.details, null, 2)}</pre>}
      </div>
    </details>
  );
}
