import type { Readout } from '../types.js';
import { escapeHtml as esc } from './escape.js';
import { renderMarkdown } from './markdown.js';
import { doraTrend, p95BeforeAfter, riskOverTime, type ChartOrMissing } from './readout-charts.js';
import { sectionTitles } from './text.js';

/**
 * A readout as one self-contained HTML page: the Markdown readout's content (the same words and
 * figures) with the charts drawn as inline SVG under their sections. No script and no external
 * resource, so it prints to PDF as it shows.
 */
export function renderHtml(readout: Readout): string {
  const upgrades = readout.kind === 'upgrade' ? [readout] : readout.upgrades;
  const charts = new Map<string, ChartOrMissing[]>([
    [sectionTitles.riskReduced, [riskOverTime(upgrades)]],
    [
      sectionTitles.businessMetrics,
      [p95BeforeAfter(upgrades), ...(readout.kind === 'period' ? doraTrend(readout.dora, readout.missing.find((m) => m.startsWith('DORA'))?.replace(/^DORA trend: /, '') ?? 'no DORA figures') : [])],
    ],
  ]);
  const markdown = renderMarkdown(readout);
  const title = markdown.split('\n')[0]!.replace(/^# /, '');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    `<style>${style}</style>`,
    '</head><body>',
    markdownToHtml(markdown, charts),
    '</body></html>',
    '',
  ].join('\n');
}

const style = [
  'body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.4}',
  'table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}',
  'th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f3f3f3}',
  '.missing{color:#8a4b00}',
  'figure{margin:1rem 0}',
  '@media print{body{margin:0}figure,table{break-inside:avoid}}',
].join('');

/** The small Markdown the readout writes (headings, paragraphs, lists, tables), every text escaped. */
function markdownToHtml(markdown: string, charts: Map<string, ChartOrMissing[]>): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  let list = false;
  const closeList = () => {
    if (list) out.push('</ul>');
    list = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      closeList();
      const level = heading[1]!.length;
      out.push(`<h${level}>${esc(heading[2]!)}</h${level}>`);
      if (level === 2) for (const chart of charts.get(heading[2]!) ?? []) out.push('svg' in chart ? `<figure>${chart.svg}</figure>` : `<p class="missing">${esc(chart.missing)}</p>`);
      continue;
    }
    if (line.startsWith('| ')) {
      closeList();
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(splitRow(lines[i]!));
      i--;
      const [head, , ...body] = rows;
      out.push('<table>', `<tr>${head!.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`, ...body.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`), '</table>');
      continue;
    }
    if (line.startsWith('- ')) {
      if (!list) out.push('<ul>');
      list = true;
      const text = line.slice(2);
      out.push(`<li${/^(Not known|Missing):/.test(text) ? ' class="missing"' : ''}>${esc(text)}</li>`);
      continue;
    }
    closeList();
    if (line.trim() !== '') out.push(`<p>${esc(line)}</p>`);
  }
  closeList();
  return out.join('\n');
}

/** Cells of a Markdown table row, with `\|` read back as a bar. */
function splitRow(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}
