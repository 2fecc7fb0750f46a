import { scanAdapters } from '../../app/adapters.js';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { scanInventory } from './index.js';
import { renderSarif } from './sarif.js';

const demo = resolve('demo-data');

/**
 * The SARIF 2.1.0 JSON schema (revision 2.1.0-rtm.5, JSON Schema draft-04) ships with the tests in
 * test/fixtures/sarif (provenance in its README): the OASIS copy cannot be fetched at test time.
 */
const schemaFile = resolve('test/fixtures/sarif/sarif-2.1.0-rtm.5.json');
// Both packages are CommonJS with `exports.default`; under NodeNext the class is one level down.
const Ajv = AjvDraft04.default;
const addFormats = addFormatsModule.default;

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string }; properties: Record<string, unknown> }[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { fullyQualifiedName: string }[] }[] }[];
  }[];
}

describe('uf scan --format sarif', async () => {
  const inventory = join(demo, 'inventories/search/production.cdx.json');
  const result = await scanInventory(scanAdapters, inventory, join(demo, 'advisories'));
  const sarif = renderSarif(result, { toolVersion: '0.1.0', baseDir: resolve('.') }) as SarifLog;

  it('has one rule per advisory with security-severity, and one result per finding located in the inventory', () => {
    const run = sarif.runs[0]!;
    expect(sarif.version).toBe('2.1.0');
    const rules = run.tool.driver.rules;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(rules.map((r) => r.id).sort()).toEqual([...new Set(result.findings.map((f) => f.advisory))].sort());
    const log4shell = rules.find((r) => r.id === 'GHSA-jfh8-c2jp-5v3q')!;
    expect(log4shell.properties['security-severity']).toBe('10.0');
    expect(log4shell.helpUri).toBe('https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q');
    expect(log4shell.fullDescription.text).toContain('CVE-2021-44228');
    expect(run.results).toHaveLength(result.findings.length);
    const hit = run.results.find((r) => r.ruleId === 'GHSA-jfh8-c2jp-5v3q')!;
    expect(rules[hit.ruleIndex]!.id).toBe(hit.ruleId);
    expect(hit.level).toBe('error');
    expect(hit.locations[0]!.physicalLocation.artifactLocation.uri).toBe('demo-data/inventories/search/production.cdx.json');
    const line = readFileSync(inventory, 'utf8').split('\n')[hit.locations[0]!.physicalLocation.region.startLine - 1]!;
    expect(line).toContain('log4j-core');
    expect(hit.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toMatch(/^pkg:maven\/org\.apache\.logging\.log4j\/log4j-core@2\.14\.1/);
    expect(run.invocations[0]).toMatchObject({ executionSuccessful: true, toolExecutionNotifications: [] });
  });

  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    // The schema's language-tag pattern is not valid in Unicode mode; it was written for ECMAScript 5.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
