import { LineChart, type Series } from '../../components/chart';
import { Empty } from '../../components/common';
import type { Rollout, VerdictRecord } from './types';

type Evidence = VerdictRecord['verdict']['evidence'][number];
const variantOrder = ['canary', 'baseline', 'stable'] as const;

/**
 * Each analysed metric per variant, one value per analysis run (over its window), against the
 * threshold when the threshold is a fixed number. The server keeps the analysed values, not the raw
 * metric series between runs, so that is what is drawn.
 */
export function MetricCharts({ rollout: r }: { rollout: Rollout }) {
  const records = r.state.verdicts;
  if (records.length === 0) return <Empty>No analysis has run yet.</Empty>;
  // A value is measured over its window, so it is drawn across the window (and one run still shows as a line).
  const t0 = Date.parse(records[0]!.window.start);
  const byMetric = new Map<string, { from: number; to: number; e: Evidence }[]>();
  for (const v of records) {
    for (const e of v.verdict.evidence) {
      const earlier = byMetric.get(e.metric) ?? [];
      // Overlapping windows (a window longer than the interval) start where the previous one ended, so the line never runs backwards.
      const from = Math.max(Date.parse(e.window.start) - t0, earlier[earlier.length - 1]?.to ?? -Infinity);
      byMetric.set(e.metric, [...earlier, { from, to: Math.max(from, Date.parse(e.window.end) - t0), e }]);
    }
  }
  const xLabel = (x: number) => new Date(t0 + x).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <>
    <p className="small muted">Each value is what one analysis run measured over its window, per variant the judge compared; the metric series between runs is not recorded.</p>
    <div className="grid metrics">
      {[...byMetric].map(([metric, points]) => {
        const series: Series[] = variantOrder
          .map((variant) => ({ name: variant, tone: variant, points: points.flatMap(({ from, to, e }) => {
            const y = e.values[variant]?.value;
            return y === undefined ? [] : [{ x: from, y }, { x: to, y }];
          }) }))
          .filter((s) => s.points.length > 0);
        const latest = points[points.length - 1]!.e;
        const limit = fixedThreshold(metric, latest.threshold);
        return (
          <div key={metric}>
            <LineChart title={latest.threshold.startsWith(metric) ? latest.threshold : `${metric}: ${latest.threshold}`} series={series} xLabel={xLabel} height={130} {...(limit ? { threshold: limit } : {})} />
            {!limit && <p className="small muted">The threshold is relative to {String(latest.statistics.comparedWith ?? 'the reference')}: no fixed line to draw.</p>}
          </div>
        );
      })}
    </div>
    </>
  );
}

/** "p95_latency <= 300, …" gives a line at 300; a relative threshold ("canary >= reference * 0.9") gives none. */
function fixedThreshold(metric: string, text: string): { value: number; label: string } | undefined {
  const m = /^(\S+)\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\b/.exec(text);
  if (!m || m[1] !== metric) return undefined;
  return { value: Number(m[3]), label: `${m[2]} ${m[3]}` };
}

/** Every verdict, newest first, each opening to its metrics, values per variant, thresholds and statistics. */
export function Verdicts({ rollout: r }: { rollout: Rollout }) {
  const records = [...r.state.verdicts].reverse();
  const checks = r.state.verification?.results ?? [];
  if (records.length === 0 && checks.length === 0) return null;
  return (
    <>
      <h4>Verdicts</h4>
      <ul className="verdicts">
        {records.map((v) => (
          <li key={v.actionId}>
            <Verdict at={v.at} where={`attempt ${v.attempt}, step ${v.step + 1} at ${v.weight}%`} record={v.verdict} window={v.window} />
          </li>
        ))}
        {[...checks].reverse().map((c) => (
          <li key={c.actionId}>
            <Verdict at={c.at} where={`verification round ${c.round}, ${c.check}`} record={c.verdict} window={c.window} />
          </li>
        ))}
      </ul>
    </>
  );
}

function Verdict({ at, where, record, window }: { at: string; where: string; record: VerdictRecord['verdict']; window: { start: string; end: string } }) {
  const tone = record.outcome === 'pass' ? 'good' : record.outcome === 'fail' ? 'bad' : 'warn';
  return (
    <details>
      <summary>
        <span className={`badge ${tone}`}>{record.outcome}</span> <time dateTime={at}>{new Date(at).toLocaleTimeString()}</time> <span className="small">{where}, {record.judge}{record.score !== undefined ? ` score ${record.score}` : ''}: {record.reason}</span>
      </summary>
      <p className="small muted">
        Window {new Date(window.start).toLocaleTimeString()} – {new Date(window.end).toLocaleTimeString()}
      </p>
      <div className="table-wrap">
        <table className="small">
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Outcome</th>
              {variantOrder.map((v) => <th scope="col" key={v}>{v}</th>)}
              <th scope="col">Threshold</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {record.evidence.map((e) => (
              <tr key={e.metric}>
                <th scope="row">{e.metric}{e.critical && <span className="badge bad">critical</span>}</th>
                <td><span className={`badge ${e.outcome === 'pass' ? 'good' : e.outcome === 'fail' ? 'bad' : 'warn'}`}>{e.outcome}</span></td>
                {variantOrder.map((v) => {
                  const value = e.values[v];
                  return <td key={v}>{value ? `${value.value ?? '—'} (n=${value.count})` : <span className="muted">—</span>}</td>;
                })}
                <td>{e.threshold}</td>
                <td>
                  {e.reason}
                  <div className="muted">{Object.entries(e.statistics).map(([k, s]) => `${k}: ${JSON.stringify(s)}`).join('; ')}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
