/**
 * A small SVG line chart: no charting library, so the first load stays small. Each series is a
 * list of points; an optional threshold is drawn as a dashed line. The data is also given as a
 * table for screen readers (the SVG is hidden from them).
 */
export interface Series {
  name: string;
  points: { x: number; y: number }[];
  tone?: 'stable' | 'canary' | 'baseline' | 'other';
}

export function LineChart({ title, series, threshold, unit = '', xLabel = (x: number) => String(x), height = 160 }: {
  title: string;
  series: Series[];
  threshold?: { value: number; label: string };
  unit?: string;
  xLabel?: (x: number) => string;
  height?: number;
}) {
  const width = 560;
  const pad = { left: 44, right: 12, top: 12, bottom: 24 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="empty">{title}: no measurements yet.</p>;
  const xs = all.map((p) => p.x);
  const ys = [...all.map((p) => p.y), ...(threshold ? [threshold.value] : [])];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(...ys) * 1.1 || 1];
  const sx = (x: number) => pad.left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
  const fmt = (y: number) => `${Number.isInteger(y) ? y : y.toFixed(2)}${unit}`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        <line x1={pad.left} x2={width - pad.right} y1={sy(y0)} y2={sy(y0)} className="axis" />
        <text x={pad.left - 6} y={sy(y1)} className="tick" textAnchor="end">{fmt(y1)}</text>
        <text x={pad.left - 6} y={sy(y0)} className="tick" textAnchor="end">{fmt(y0)}</text>
        <text x={pad.left} y={height - 6} className="tick">{xLabel(x0)}</text>
        <text x={width - pad.right} y={height - 6} className="tick" textAnchor="end">{xLabel(x1)}</text>
        {threshold && (
          <g>
            <line x1={pad.left} x2={width - pad.right} y1={sy(threshold.value)} y2={sy(threshold.value)} className="threshold" />
            <text x={width - pad.right} y={sy(threshold.value) - 4} className="tick" textAnchor="end">{threshold.label}</text>
          </g>
        )}
        {series.map((s) => (
          <polyline key={s.name} className={`line ${s.tone ?? 'other'}`} fill="none" points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} />
        ))}
      </svg>
      <ul className="legend">
        {series.map((s) => (
          <li key={s.name} className={s.tone ?? 'other'}>{s.name}: {s.points.length > 0 ? fmt(s.points[s.points.length - 1]!.y) : '—'} (latest)</li>
        ))}
      </ul>
    </figure>
  );
}

/** Horizontal bars, e.g. risk factors by contribution. */
export function Bars({ title, rows, unit = '' }: { title: string; rows: { label: string; value: number; note?: string }[]; unit?: string }) {
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.value)));
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      <ul>
        {rows.map((r) => (
          <li key={r.label}>
            <span className="bar-label">{r.label}</span>
            <span className="bar" style={{ width: `${(Math.abs(r.value) / max) * 100}%` }} aria-hidden="true" />
            <span className="bar-value">{r.value.toFixed(1)}{unit}</span>
            {r.note && <span className="muted bar-note">{r.note}</span>}
          </li>
        ))}
      </ul>
    </figure>
  );
}
