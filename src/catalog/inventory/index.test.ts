import { describe, expect, it } from 'vitest';
import type { InventoryComponent } from '../../core/inventory.js';
import { detectInventoryFormat, parseInventory } from './index.js';
import { mergeComponents } from './merge.js';
import { catchUfError } from '../../../test/helpers/errors.js';

describe('detectInventoryFormat', () => {
  it('recognises each format by its required marker, whatever the file is called', () => {
    expect(detectInventoryFormat({ bomFormat: 'CycloneDX' }, 'x.json')).toBe('cyclonedx');
    expect(detectInventoryFormat({ spdxVersion: 'SPDX-2.3' }, 'x.json')).toBe('spdx');
    expect(detectInventoryFormat({ lockfileVersion: 3 }, 'x.json')).toBe('package-lock');
  });

  it('falls back on conventional file names, and gives up on anything else', () => {
    expect(detectInventoryFormat({}, 'some/dir/npm-shrinkwrap.json')).toBe('package-lock');
    expect(detectInventoryFormat({}, 'C:\\app\\package-lock.json')).toBe('package-lock');
    expect(detectInventoryFormat([], 'app.cdx.json')).toBe('cyclonedx');
    expect(detectInventoryFormat(null, 'app.spdx.json')).toBe('spdx');
    expect(detectInventoryFormat({ name: 'x' }, 'package.json')).toBeUndefined();
  });
});

describe('parseInventory', () => {
  it('parses, detects and merges duplicates: direct beats transitive, runtime beats dev', () => {
    const text = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      metadata: { component: { 'bom-ref': 'root', name: 'svc' } },
      components: [
        { 'bom-ref': 'a1', name: 'a', purl: 'pkg:npm/a@1.0.0', scope: 'excluded' },
        { 'bom-ref': 'a2', name: 'a', purl: 'pkg:npm/a@1.0.0?x=1#lib' },
        { 'bom-ref': 'b', name: 'b', purl: 'pkg:npm/b@1.0.0' },
      ],
      dependencies: [{ ref: 'root', dependsOn: ['a1', 'b'] }, { ref: 'b', dependsOn: ['a2'] }],
    });
    const inventory = parseInventory(`\uFEFF${text}`, 'bom.json');
    expect(inventory.format).toBe('cyclonedx');
    expect(inventory.components.map((c) => [c.purl, c.direct, c.scope])).toEqual([
      ['pkg:npm/a@1.0.0', true, 'runtime'],
      ['pkg:npm/b@1.0.0', true, 'runtime'],
    ]);
  });

  it('obeys an explicit format', () => {
    const error = catchUfError(() => parseInventory('{"lockfileVersion": 2}', 'x.json', 'spdx'));
    expect(error.code).toBe('import_invalid');
    expect(error.location?.path).toBe('spdxVersion');
  });

  it.each([
    ['this is not json!', 1, 2],
    ['{\n  "a": 1,\n}', 3, 1],
    ['{\n  "lockfileVersion": 2,\n  "packages": {\n', 4, 1],
    ['', 1, 1],
    ['{"a":\n  tru }', 2, 6],
  ])('reports malformed JSON %j as parse_error at line %i, column %i', (text, line, column) => {
    const error = catchUfError(() => parseInventory(text, 'package-lock.json'));
    expect(error.code).toBe('parse_error');
    expect(error.location).toEqual({ file: 'package-lock.json', line, column });
    expect(error.message).toMatch(/^invalid JSON: /);
    expect(error.describe()).toContain(`package-lock.json:${line}:${column}: invalid JSON`);
  });

  it('refuses JSON that is no known inventory', () => {
    const error = catchUfError(() => parseInventory('null', 'null.v2.jsontest'));
    expect(error.code).toBe('import_invalid');
    expect(error.location).toEqual({ file: 'null.v2.jsontest' });
  });

  it('turns absurdly deep nesting into import_invalid instead of a stack overflow', () => {
    let component = '{"name":"leaf"}';
    for (let depth = 0; depth < 20_000; depth += 1) component = `{"name":"n","components":[${component}]}`;
    const text = `{"bomFormat":"CycloneDX","specVersion":"1.4","components":[${component}]}`;
    expect(catchUfError(() => parseInventory(text, 'bom.json')).code).toBe('import_invalid');
  });
});

describe('mergeComponents', () => {
  const component = (purl: string, direct: boolean, scope: InventoryComponent['scope']): InventoryComponent => ({
    purl,
    ecosystem: 'npm',
    name: purl,
    version: '1',
    direct,
    scope,
  });

  it('keeps first-seen order and takes the strongest facts of all instances', () => {
    expect(
      mergeComponents([
        component('x', false, 'dev'),
        component('y', false, 'runtime'),
        component('x', true, 'optional'),
        component('x', false, 'dev'),
      ]),
    ).toEqual([component('x', true, 'optional'), component('y', false, 'runtime')]);
  });
});
