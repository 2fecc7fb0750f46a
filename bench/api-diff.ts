/**
 * npm run bench:api-diff — `uf api-diff` on two generated 5,000-operation OpenAPI documents (1,250
 * paths × 4 methods, shared component schemas, parameters, bodies and responses; the revision
 * changes every 10th operation), printed beside the time merely to parse them (the same parser, without resolving $refs).
 * Whole command (built bin/uf.js, so `npm run build` first), load (parse + $ref resolution) and
 * diff alone, medians of UF_BENCH_RUNS runs (default 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@readme/openapi-parser';
import { stringify } from 'yaml';
import { diffOpenApi, loadOpenApiFile, summarize } from '../src/compat/checks/openapi-diff/index.js';

const runs = Number(process.env.UF_BENCH_RUNS ?? 5);
const pathCount = 1250;
const methods = ['get', 'post', 'put', 'delete'];
const ufBin = fileURLToPath(new URL('../bin/uf.js', import.meta.url));

function document(revision: boolean): object {
  const paths: Record<string, object> = {};
  for (let p = 0; p < pathCount; p++) {
    const item: Record<string, object> = {};
    methods.forEach((method, m) => {
      const changed = revision && (p * methods.length + m) % 10 === 0;
      item[method] = {
        operationId: `op${p}${method}`,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'limit', in: 'query', required: changed, schema: { type: 'integer', minimum: 1, maximum: changed ? 50 : 100 } },
        ],
        ...(method === 'get' || method === 'delete' ? {} : { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/Item${p % 50}` } } } } }),
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `#/components/schemas/Item${(p + m) % 50}` } } } },
          ...(changed ? {} : { '404': { description: 'not found' } }),
        },
      };
    });
    paths[`/resource${p}/{id}`] = item;
  }
  const schemas: Record<string, object> = {};
  for (let s = 0; s < 50; s++) {
    schemas[`Item${s}`] = {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string', maxLength: revision && s % 5 === 0 ? 40 : 80 },
        status: { type: 'string', enum: revision && s % 7 === 0 ? ['open', 'closed', 'archived'] : ['open', 'closed'] },
        tags: { type: 'array', items: { type: 'string' } },
        owner: { $ref: '#/components/schemas/Owner' },
      },
    };
  }
  schemas.Owner = { type: 'object', properties: { name: { type: 'string' }, manager: { $ref: '#/components/schemas/Owner' } } };
  return { openapi: '3.0.3', info: { title: 'bench', version: revision ? '2' : '1' }, paths, components: { schemas } };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), 'uf-bench-api-diff-'));
try {
  const oldFile = join(dir, 'old.yaml');
  const newFile = join(dir, 'new.yaml');
  writeFileSync(oldFile, stringify(document(false)));
  writeFileSync(newFile, stringify(document(true)));
  const parseMs: number[] = [];
  const loadMs: number[] = [];
  const diffMs: number[] = [];
  const commandMs: number[] = [];
  let counts = { breaking: 0, warning: 0, info: 0 };
  for (let run = 0; run < runs; run++) {
    let t0 = performance.now();
    await Promise.all([parse(oldFile), parse(newFile)]);
    parseMs.push(performance.now() - t0);
    t0 = performance.now();
    const [before, after] = await Promise.all([loadOpenApiFile(oldFile), loadOpenApiFile(newFile)]);
    loadMs.push(performance.now() - t0);
    t0 = performance.now();
    counts = summarize(diffOpenApi(before, after, { today: '2026-12-01' }));
    diffMs.push(performance.now() - t0);
    t0 = performance.now();
    const result = spawnSync(process.execPath, [ufBin, 'api-diff', oldFile, newFile, '--json'], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
    commandMs.push(performance.now() - t0);
    if (result.status !== 1) throw new Error(`uf api-diff exited ${result.status}: ${result.stderr.toString()}`);
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  console.log(`two documents of ${pathCount * methods.length} operations; median of ${runs} runs; changes: ${counts.breaking} breaking, ${counts.warning} warning, ${counts.info} info`);
  console.log(`parse only (both, no $refs)    ${s(median(parseMs))}`);
  console.log(`load (parse + $refs, both)     ${s(median(loadMs))}`);
  console.log(`diff alone                     ${s(median(diffMs))}`);
  console.log(`uf api-diff --json (process)   ${s(median(commandMs))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
