import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast, diffOpenApi, knownChecks, loadOpenApiFile, type ApiChange, type ChangeLevel } from '../../src/compat/checks/openapi-diff/index.js';
import { sharedData } from '../helpers/shared-data.js';

const data = sharedData('openapi');

interface Expected {
  test: string;
  base: string;
  revision: string;
  expectedCount?: number;
  expected: { id: string; level: 'ERR' | 'WARN' | 'INFO'; operation?: string; path?: string }[];
  checkConfig: string;
  untilLevel?: 'ERR' | 'WARN' | 'INFO';
}

const levels: Record<string, ChangeLevel> = { ERR: 'breaking', WARN: 'warning', INFO: 'info' };

/**
 * Upstream runs most of these with one check enabled; these are the ids that check reports here,
 * so that the comparison is with what that single check would have said.
 */
const checkIds: Record<string, RegExp> = {
  RequestParameterRemovedCheck: /^request-parameter-removed/,
  APIRemovedCheck: /^api-(path-)?(removed|sunset)/,
  RequestParameterEnumValueUpdatedCheck: /^request-parameter-enum-value-/,
  ResponseOptionalPropertyUpdatedCheck: /^response-optional-property-/,
  ResponseRequiredPropertyUpdatedCheck: /^response-required-property-/,
  ResponsePropertyBecameOptionalCheck: /^response-property-became-optional$/,
  RequestPropertyUpdatedCheck: /^(new-(required|optional)-request-property|request-property-removed)/,
  RequestPropertyTypeChangedCheck: /^request-(property|body)-type-/,
  ResponsePropertyTypeChangedCheck: /^response-(property|body)-type-/,
  ResponseMediaTypeUpdatedCheck: /^response-media-type-/,
  RequestBodyMediaTypeChangedCheck: /^request-body-media-type-/,
  RequestParameterBecameEnumCheck: /^request-parameter-became-enum$/,
  RequestParameterDefaultValueChangedCheck: /^request-parameter-default-value-/,
  RequestParameterMaxLengthUpdatedCheck: /^request-parameter-max-length-(in|de)creased$/,
  RequestParameterMinUpdatedCheck: /^request-parameter-min-(in|de)creased$/,
  RequestParameterPatternAddedOrChangedCheck: /^request-parameter-pattern-/,
  RequestPropertyOneOfUpdatedCheck: /^request-(body|property)-one-of-/,
  ResponsePropertyOneOfUpdated: /^response-(body|property)-one-of-/,
  APISecurityUpdatedCheck: /^api-security-/,
  RequestPropertyBecameNotNullableCheck: /^request-(body|property)-became-(not-)?nullable$/,
  RequestPropertyMaxLengthSetCheck: /^request-property-max-length-set$/,
};

function checkOf(config: string): RegExp | undefined {
  const name = /singleCheckConfig\((?:checker\.)?(\w+)\)/.exec(config)?.[1];
  return name === undefined ? undefined : checkIds[name];
}

function cases(folder: string): (Expected & { dir: string })[] {
  if (!data.available) return [];
  const file = data.path(folder, 'expected.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as Expected[]).map((entry) => ({ ...entry, dir: dirname(file) }));
}

const all = [...cases('scenarios'), ...cases('checker')];

async function run(entry: Expected & { dir: string }): Promise<ApiChange[]> {
  const [before, after] = await Promise.all([loadOpenApiFile(join(entry.dir, entry.base)), loadOpenApiFile(join(entry.dir, entry.revision))]);
  return diffOpenApi(before, after, { today: '2026-12-01' });
}

describe(`oasdiff's fixture pairs give their expected changes${data.skipNote}`, () => {
  it.skipIf(!data.available)('has the 36 pairs', () => {
    expect(all.length).toBe(36);
  });

  for (const entry of all) {
    it.skipIf(!data.available)(`${entry.test}: ${entry.base} -> ${entry.revision}`, async () => {
      const everything = await run(entry);
      const known = new Map(knownChecks().map((c) => [c.id, c.level]));
      for (const change of everything) expect(known.get(change.id), change.id).toBe(change.level);
      const changes = atLeast(everything, levels[entry.untilLevel ?? 'WARN']!);
      const want = entry.expected.map((e) => ({ id: e.id, level: levels[e.level], ...(e.operation ? { operation: e.operation, path: e.path } : {}) }));
      const got = (pattern: RegExp | undefined) => changes.filter((c) => pattern === undefined || pattern.test(c.id));
      const pattern = checkOf(entry.checkConfig);
      if (pattern === undefined && entry.checkConfig.includes('ignore')) {
        // Upstream drops its other findings with ignore files; the ones it keeps must be here.
        for (const w of want) expect(changes).toContainEqual(expect.objectContaining(w));
        return;
      }
      if (pattern === undefined && !entry.checkConfig.includes('all checks')) throw new Error(`no id family for ${entry.checkConfig}`);
      const found = got(pattern).map((c) => ({ id: c.id, level: c.level, ...(want[0]?.operation ? { operation: c.operation, path: c.path } : {}) }));
      expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual([...want].sort((a, b) => a.id.localeCompare(b.id)));
    });
  }
});
