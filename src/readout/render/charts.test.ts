import { describe, expect, it } from 'vitest';
import { beforeAfterBars, lineChart, niceMax } from './charts.js';

describe('inline SVG charts', () => {
  it('draws a line chart with a title, axis labels and an accessible description', () => {
    const svg = lineChart({
      title: 'Risk <over> time',
      xLabel: 'date (UTC)',
      yLabel: 'risk score',
      yMax: 100,
      series: [{ name: 'a & b', points: [{ x: Date.parse('2026-11-01'), y: 80 }, { x: Date.parse('2026-12-01'), y: 30 }] }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')).toBe(true);
    expect(svg).toContain('<title>Risk &lt;over&gt; time</title>');
    expect(svg).toContain('<desc>a &amp; b: 80 at 2026-11-01, 30 at 2026-12-01</desc>');
    expect(svg).toContain('>date (UTC)</text>');
    expect(svg).toContain('>risk score</text>');
    expect(svg).toMatch(/<polyline [^>]*points="56,\d+(\.\d)? 544,\d+(\.\d)?"/);
    expect(svg).not.toMatch(/<(?!\/?(svg|title|desc|text|line|polyline|circle|rect)\b)/);
  });

  it('draws before and after bars for each label', () => {
    const svg = beforeAfterBars({ title: 'p95', xLabel: 'service', yLabel: 'ms', pairs: [{ label: 'checkout', before: 180, after: 120 }] });
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(2);
    expect(svg).toContain('<desc>checkout: before 180, after 120</desc>');
    expect(svg).toContain('<title>checkout before: 180</title>');
  });

  it('rounds the axis top to a readable number', () => {
    expect([niceMax(0), niceMax(7), niceMax(180), niceMax(0.031)]).toEqual([1, 10, 200, 0.05]);
  });
});
