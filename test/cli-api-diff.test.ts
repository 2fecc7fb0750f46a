import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

/** `uf api-diff` through the built binary: exit 0 (nothing breaks), 1 (something breaks), 2 (bad input), table and --json. */
describe('uf api-diff', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  const doc = (parameters: object[]) => JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/pets': { get: { parameters, responses: { '200': { description: 'ok' } } } } } });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-api-diff-'));
    writeFileSync(join(dir, 'old.json'), doc([]));
    writeFileSync(join(dir, 'optional.json'), doc([{ name: 'limit', in: 'query', schema: { type: 'integer' } }]));
    writeFileSync(join(dir, 'required.yaml'), `openapi: 3.1.0\ninfo: {title: t, version: "2"}\npaths:\n  /pets:\n    get:\n      parameters:\n        - {name: limit, in: query, required: true, schema: {type: integer}}\n      responses:\n        "200": {description: ok}\n`);
    writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /pets:\n    get:\n      responses:\n        "200":\n          $ref: "#/components/responses/Gone"\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 when nothing breaks clients, listing the info entries', async () => {
    const result = await uf('api-diff', 'old.json', 'optional.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^info\s+new-optional-request-parameter\s+GET \/pets/m);
    expect(result.stdout).toContain('1 change(s): 0 breaking, 0 warning, 1 info');
  });

  it('exits 1 on a breaking change, and --json gives the change with its id, level and place', async () => {
    const result = await uf('api-diff', 'old.json', 'required.yaml', '--json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { counts: object; changes: object[] };
    expect(parsed.counts).toEqual({ breaking: 1, warning: 0, info: 0 });
    expect(parsed.changes).toEqual([{ id: 'new-required-request-parameter', level: 'breaking', operation: 'GET', path: '/pets', location: 'parameters.query.limit', text: "added the new required 'query' request parameter 'limit'" }]);
    expect((await uf('api-diff', 'old.json', 'old.json')).stdout.trim()).toBe('no changes');
  });

  it('exits 2 with the file and line for a broken $ref, a missing file or bad YAML, never a crash', async () => {
    const broken = await uf('api-diff', 'old.json', 'broken.yaml');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^uf: broken\.yaml:8: unresolvable \$ref: .*#\/components\/responses\/Gone/m);
    const missing = await uf('api-diff', 'absent.yaml', 'old.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.yaml');
    writeFileSync(join(dir, 'bad.yaml'), 'openapi: 3.0.3\npaths: {\n');
    const bad = await uf('api-diff', 'bad.yaml', 'old.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^uf: bad\.yaml:\d+:\d+: invalid YAML or JSON/m);
    expect(bad.stderr).not.toContain('unexpected error');
  });
});
