import { describe, expect, it } from 'vitest';
import { parseExposition } from './parse.js';

describe('Prometheus text exposition parser', () => {
  it('reads samples with labels, escapes, special values and timestamps, skipping comments', () => {
    const page = [
      '# HELP uf_proxy_requests_total Responses sent',
      '# TYPE uf_proxy_requests_total counter',
      'uf_proxy_requests_total{variant="canary",class="5xx"} 3',
      'uf_proxy_requests_total{variant="stable",class="2xx",} 1.5e3 1700000000000',
      'odd{path="C:\\\\dir\\"x\\"\\nnext"} NaN',
      'bucket_bucket{le="+Inf"} +Inf',
      'up -Inf',
      '',
    ].join('\n');
    const parsed = parseExposition(page);
    expect(parsed).toEqual({
      ok: true,
      samples: [
        { name: 'uf_proxy_requests_total', labels: { variant: 'canary', class: '5xx' }, value: 3 },
        { name: 'uf_proxy_requests_total', labels: { variant: 'stable', class: '2xx' }, value: 1500 },
        { name: 'odd', labels: { path: 'C:\\dir"x"\nnext' }, value: NaN },
        { name: 'bucket_bucket', labels: { le: '+Inf' }, value: Infinity },
        { name: 'up', labels: {}, value: -Infinity },
      ],
    });
  });

  it('keeps only the names asked for', () => {
    expect(parseExposition('a 1\nb 2\n', (name) => name === 'b')).toEqual({ ok: true, samples: [{ name: 'b', labels: {}, value: 2 }] });
  });

  it('refuses garbage with the line it is on', () => {
    expect(parseExposition('a 1\n<html>')).toEqual({ ok: false, reason: 'line 2: expected a metric name at the start of "<html>"' });
    expect(parseExposition('a{b="c} 1')).toMatchObject({ ok: false, reason: 'line 1: unterminated value of label b' });
    expect(parseExposition('a{b=c} 1')).toMatchObject({ ok: false, reason: 'line 1: expected ="value" after label b' });
    expect(parseExposition('a one')).toMatchObject({ ok: false, reason: expect.stringContaining('expected a value') });
    expect(parseExposition('{"unexpected": true}')).toMatchObject({ ok: false });
  });
});
