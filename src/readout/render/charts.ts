import { escapeHtml as esc } from './escape.js';

/**
 * Small charts drawn as inline SVG, each a pure function of its data returning one `<svg>`
 * string: a title, labelled axes, `role="img"` with a `<title>` and a `<desc>` for screen readers.
 * No script, no external font or stylesheet, so the HTML prints to PDF as it shows.
 */
const width = 560;
const height = 260;
const margin = { top: 36, right: 16, bottom: 48, left: 56 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const palette = ['#1f5fa8', '#c2410c', '#15803d', '#7c3aed', '#be123c', '#0f766e'];

export interface LinePoint {
  /** Milliseconds since the epoch. */
  x: number;
  y: number;
}

export interface LineSeries {
  name: string;
  points: LinePoint[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Fixed top of the y axis (100 for a risk score); the data's maximum when absent. */
  yMax?: number;
  /** Formats a y value for the tick labels. */
  yFormat?: (value: number) => string;
  /** Formats an x value for the tick labels; ISO dates by default. */
  xFormat?: (value: number) => string;
}

export function lineChart(chart: LineChart): string {
  const points = chart.series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yTop = chart.yMax ?? niceMax(Math.max(0, ...points.map((p) => p.y)));
  const sx = (x: number) => margin.left + (xMax === xMin ? plotWidth / 2 : ((x - xMin) / (xMax - xMin)) * plotWidth);
  const sy = (y: number) => margin.top + plotHeight - (yTop === 0 ? 0 : (y / yTop) * plotHeight);
  const yFormat = chart.yFormat ?? ((v: number) => trim(v));
  const xFormat = chart.xFormat ?? ((v: number) => new Date(v).toISOString().slice(0, 10));
  const parts: string[] = [];
  parts.push(...yAxis(yTop, sy, yFormat));
  const xTicks = xMax === xMin ? [xMin] : [xMin, xMin + (xMax - xMin) / 2, xMax];
  xTicks.forEach((x, index) => {
    // The end labels align inwards so they are not cut at the edges of the drawing.
    const anchor = xTicks.length === 1 ? 'middle' : index === 0 ? 'start' : index === xTicks.length - 1 ? 'end' : 'middle';
    parts.push(`<text x="${fmt(sx(x))}" y="${margin.top + plotHeight + 16}" text-anchor="${anchor}" font-size="10">${esc(xFormat(x))}</text>`);
  });
  chart.series.forEach((series, index) => {
    const color = palette[index % palette.length]!;
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    if (sorted.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map((p) => `${fmt(sx(p.x))},${fmt(sy(p.y))}`).join(' ')}"/>`);
    for (const p of sorted) parts.push(`<circle cx="${fmt(sx(p.x))}" cy="${fmt(sy(p.y))}" r="3" fill="${color}"><title>${esc(`${series.name}: ${yFormat(p.y)} at ${xFormat(p.x)}`)}</title></circle>`);
  });
  parts.push(...legend(chart.series.map((s) => s.name)));
  const desc = chart.series.map((s) => `${s.name}: ${[...s.points].sort((a, b) => a.x - b.x).map((p) => `${yFormat(p.y)} at ${xFormat(p.x)}`).join(', ')}`).join('; ');
  return frame(chart.title, desc, chart.xLabel, chart.yLabel, parts);
}

export interface BarPair {
  label: string;
  before: number;
  after: number;
}

export interface BeforeAfterChart {
  title: string;
  yLabel: string;
  xLabel: string;
  pairs: BarPair[];
  yFormat?: (value: number) => string;
}

/** Two bars per label, before and after, side by side. */
export function beforeAfterBars(chart: BeforeAfterChart): string {
  const yTop = niceMax(Math.max(0, ...chart.pairs.flatMap((p) => [p.before, p.after])));
  const sy = (y: number) => margin.top + plotHeight - (yTop === 0 ? 0 : (y / yTop) * plotHeight);
  const yFormat = chart.yFormat ?? ((v: number) => trim(v));
  const parts = yAxis(yTop, sy, yFormat);
  const slot = plotWidth / Math.max(1, chart.pairs.length);
  const bar = Math.min(40, slot / 3);
  chart.pairs.forEach((pair, index) => {
    const center = margin.left + slot * index + slot / 2;
    ([['before', pair.before, palette[0]!, center - bar], ['after', pair.after, palette[1]!, center]] as const).forEach(([name, value, color, x]) => {
      const top = sy(value);
      parts.push(`<rect x="${fmt(x)}" y="${fmt(top)}" width="${fmt(bar)}" height="${fmt(margin.top + plotHeight - top)}" fill="${color}"><title>${esc(`${pair.label} ${name}: ${yFormat(value)}`)}</title></rect>`);
    });
    parts.push(`<text x="${fmt(center)}" y="${margin.top + plotHeight + 16}" text-anchor="middle" font-size="10">${esc(pair.label)}</text>`);
  });
  parts.push(...legend(['before', 'after']));
  const desc = chart.pairs.map((p) => `${p.label}: before ${yFormat(p.before)}, after ${yFormat(p.after)}`).join('; ');
  return frame(chart.title, desc, chart.xLabel, chart.yLabel, parts);
}

function frame(title: string, desc: string, xLabel: string, yLabel: string, parts: string[]): string {
  const axes =
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#333"/>` +
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#333"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<desc>${esc(desc)}</desc>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    axes,
    ...parts,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`,
    `<text x="14" y="${margin.top + plotHeight / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">${esc(yLabel)}</text>`,
    '</svg>',
  ].join('');
}

function yAxis(yTop: number, sy: (y: number) => number, yFormat: (v: number) => string): string[] {
  const parts: string[] = [];
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const value = yTop * fraction;
    const y = fmt(sy(value));
    parts.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotWidth}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="10">${esc(yFormat(value))}</text>`);
  }
  return parts;
}

function legend(names: string[]): string[] {
  return names.map((name, index) => {
    const x = margin.left + 8 + index * 110;
    return `<rect x="${x}" y="${margin.top - 14}" width="10" height="10" fill="${palette[index % palette.length]!}"/><text x="${x + 14}" y="${margin.top - 5}" font-size="10">${esc(name.length > 16 ? `${name.slice(0, 15)}…` : name)}</text>`;
  });
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above the value, so ticks are round numbers. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3)));
}
