import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatKeyPath } from '../../core/key-path.js';
import { locatePath } from '../yaml-location.js';
import { metricSourceSchema, templatePlaceholders, templateProblem } from './metrics.js';

/**
 * Reads `sources:` as factory.yaml's loader would (schema.ts composes metricSourceSchema where the
 * rollout policy needs it): each problem with its line and key path.
 */
function problems(yaml: string): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines });
  const result = z.object({ sources: z.array(metricSourceSchema) }).safeParse(doc.toJS());
  if (result.success) return [];
  return result.error.issues.map((issue) => `line ${locatePath(doc.contents, issue.path, lines)?.line}: ${formatKeyPath(issue.path)}: ${issue.message}`);
}

describe('metric sources in factory.yaml', () => {
  it('reads one source of each kind with its defaults', () => {
    const yaml = [
      'sources:',
      '  - { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95, tokenEnv: UF_ADMIN_TOKEN }',
      '  - kind: prometheus',
      '    url: http://prometheus:9090',
      '    query: sum(rate(http_requests_total{app="{{service}}",version="{{variant}}",code=~"5.."}[{{window}}]))',
      '  - { kind: prometheus-text, url: "http://127.0.0.1:9901/metrics", metric: uf_proxy_request_duration_seconds, compute: { kind: quantile, quantile: 0.95 } }',
      '  - { kind: http-json, url: "https://kpi.example/{{service}}/{{variant}}", path: "$.checkout.conversion", headersFromEnv: { Authorization: KPI_AUTH } }',
    ].join('\n');
    expect(problems(yaml)).toEqual([]);
    const parsed = z.object({ sources: z.array(metricSourceSchema) }).parse(parseDocument(yaml).toJS());
    expect(parsed.sources.map((s) => s.kind)).toEqual(['builtin', 'prometheus', 'prometheus-text', 'http-json']);
    expect(parsed.sources[1]).toMatchObject({ mode: 'instant', stepSeconds: 10, timeoutMs: 5000 });
    expect(parsed.sources[2]).toMatchObject({ variantLabel: 'variant', labels: {}, toleranceSeconds: 10 });
  });

  it('refuses a PromQL template with an unknown placeholder, naming line and key path', () => {
    const yaml = ['sources:', '  - kind: prometheus', '    url: http://prometheus:9090', '    query: rate(x{version="{{variant}}"}[{{interval}}])'].join('\n');
    expect(problems(yaml)).toEqual(['line 4: sources[0].query: unknown placeholder {{interval}}: expected {{service}}, {{variant}}, {{window}}']);
  });

  it('refuses a source that cannot tell the variants apart, an unclosed placeholder and secrets written in the file', () => {
    expect(problems(['sources:', '  - { kind: prometheus, url: "http://p:9090", query: "sum(rate(x[{{window}}]))" }'].join('\n'))).toEqual([
      expect.stringMatching(/^line 2: sources\[0\]\.query: the query must use \{\{variant\}\}/),
    ]);
    expect(problems(['sources:', '  - { kind: prometheus, url: "http://p:9090", query: "x{v=\\"{{variant}}\\"}[{{window}]" }'].join('\n'))).toEqual([expect.stringContaining('an unclosed "{{"')]);
    expect(problems(['sources:', '  - kind: http-json', '    url: https://kpi.example/all', '    path: $.conversion'].join('\n'))).toEqual([expect.stringMatching(/^line 3: sources\[0\]\.url: the URL or the path must use \{\{variant\}\}/)]);
    expect(problems(['sources:', '  - kind: http-json', '    url: https://kpi.example/{{variant}}', '    path: $.conversion', '    headers: { Authorization: Bearer abc }'].join('\n'))).toEqual([
      expect.stringMatching(/^line 5: sources\[0\]\.headers: credentials do not belong in factory.yaml/),
    ]);
  });

  it('refuses a bad JSON path, an unknown kind and unknown keys', () => {
    expect(problems(['sources:', '  - { kind: http-json, url: "https://kpi/{{variant}}", path: "checkout.conversion" }'].join('\n'))).toEqual(['line 2: sources[0].path: invalid JSON path: a JSON path starts with $']);
    expect(problems(['sources:', '  - { kind: datadog, query: x }'].join('\n'))).toEqual(['line 2: sources[0].kind: unknown metric source kind "datadog": expected builtin, prometheus, prometheus-text, http-json, journey']);
    expect(problems(['sources:', '  - { kind: builtin, adminUrl: "http://127.0.0.1:9901", stat: p95, token: secret }'].join('\n'))).toEqual([expect.stringContaining('line 2: sources[0]: Unrecognized key: "token"')]);
  });

  it('finds placeholders with spaces inside the braces', () => {
    expect(templatePlaceholders('a{{ variant }}b{{window}}')).toEqual(['variant', 'window']);
    expect(templateProblem('{{ variant }}', ['variant'])).toBeUndefined();
  });
});
