import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../core/clock.js';
import type { OpenapiDiffCheckSettings } from '../../../config/sections/compat.js';
import type { CheckRequest } from '../../types.js';
import { checkRunnerContract, contractConsumer } from '../check-runner.contract.js';
import { createOpenapiDiffRunner, openapiDiffRunner } from './runner.js';

const dir = mkdtempSync(join(tmpdir(), 'uf-openapi-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = (paths: string) => `openapi: 3.0.3\ninfo: {title: shop, version: '1'}\npaths:\n${paths}`;
const getUser = `  /users/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n`;
const listOrders = `  /orders:\n    get:\n      responses:\n        '200': {description: ok}\n`;
const filterParam = `  /orders:\n    get:\n      parameters:\n        - {name: status, in: query, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n`;
writeFileSync(join(dir, 'v1.yaml'), doc(getUser + filterParam));
writeFileSync(join(dir, 'v2-added.yaml'), doc(getUser + filterParam + `  /health:\n    get:\n      responses:\n        '200': {description: ok}\n`));
writeFileSync(join(dir, 'v2-removed.yaml'), doc(filterParam));
writeFileSync(join(dir, 'v2-param-removed.yaml'), doc(getUser + listOrders));
writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.0.3\ninfo: {title: shop\npaths: {}\n');
writeFileSync(join(dir, 'many-old.yaml'), doc(Array.from({ length: 230 }, (_, i) => `  /r${i}:\n    get:\n      responses:\n        '200': {description: ok}\n`).join('')));
writeFileSync(join(dir, 'many-new.yaml'), "openapi: 3.0.3\ninfo: {title: shop, version: '1'}\npaths: {}\n");

function request(old: string, next: string, failOn: 'breaking' | 'warning' = 'breaking'): CheckRequest<OpenapiDiffCheckSettings> {
  const spec = { id: 'api-contract', kind: 'openapi-diff', old, new: next, failOn, required: true, tags: [], timeout: '5m' } satisfies OpenapiDiffCheckSettings;
  return { checkId: spec.id, kind: spec.kind, spec, upgradeId: 'u1', components: [], consumer: contractConsumer(), baseDir: dir, signal: new AbortController().signal };
}

checkRunnerContract('openapi-diff', {
  create: () => openapiDiffRunner,
  passing: () => request('v1.yaml', 'v2-added.yaml'),
  failing: () => request('v1.yaml', 'v2-removed.yaml'),
  broken: () => ({ request: request('v1.yaml', 'broken.yaml'), mentions: 'broken.yaml' }),
});

describe('openapi-diff runner', () => {
  const runner = createOpenapiDiffRunner(fixedClock('2026-06-01T00:00:00Z'));

  it('names the first breaking change and its operation, with each change as a finding', async () => {
    const outcome = await runner.run(request('v1.yaml', 'v2-removed.yaml'));
    expect(outcome.summary).toBe('1 change(s) at or above breaking, first api-path-removed-without-deprecation on GET /users/{id}: 1 breaking, 0 warning, 0 info');
    expect(outcome.ruleId).toBe('api-path-removed-without-deprecation');
    expect(outcome.findings).toEqual([{ ruleId: 'api-path-removed-without-deprecation', level: 'error', text: 'the path was removed without deprecation', location: 'GET /users/{id}' }]);
  });

  it('passes a warning under failOn breaking and fails it under failOn warning', async () => {
    const lenient = await runner.run(request('v1.yaml', 'v2-param-removed.yaml'));
    expect(lenient.status).toBe('pass');
    expect(lenient.summary).toBe('no change at or above breaking: 0 breaking, 1 warning, 0 info');
    expect(lenient.findings?.map((f) => [f.ruleId, f.level, f.location])).toEqual([['request-parameter-removed', 'warning', 'GET /orders']]);
    const strict = await runner.run(request('v1.yaml', 'v2-param-removed.yaml', 'warning'));
    expect(strict.status).toBe('fail');
    expect(strict.ruleId).toBe('request-parameter-removed');
  });

  it('keeps info-level changes as info findings on a passing cell', async () => {
    const outcome = await runner.run(request('v1.yaml', 'v2-added.yaml'));
    expect(outcome.findings).toEqual([{ ruleId: 'endpoint-added', level: 'info', text: 'the operation was added', location: 'GET /health' }]);
  });

  it('names the file and line of an invalid document', async () => {
    const outcome = await runner.run(request('v1.yaml', 'broken.yaml'));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toMatch(/broken\.yaml:\d+:\d+: invalid YAML or JSON/);
  });

  it('caps the findings kept and says how many were cut', async () => {
    const outcome = await runner.run(request('many-old.yaml', 'many-new.yaml'));
    expect(outcome.status).toBe('fail');
    expect(outcome.findings).toHaveLength(200);
    expect(outcome.summary).toContain('230 breaking, 0 warning, 0 info (30 finding(s) cut, 200 kept)');
    expect(outcome.details?.findingsCut).toBe(30);
  });
});
