/**
 * Whatever text arrives, parseInventory either returns an inventory or throws a UfError, promptly.
 * Anything else (a TypeError from an unchecked shape, a stack overflow, a URIError from a purl)
 * would reach the user as a crash instead of a located message.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import type { InventoryFormat } from '../../core/inventory.js';
import { parseInventory } from './index.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const shared = sharedData();
const realFiles = (shared.available ? [
  'sbom/cyclonedx/dropwizard-1.3.15.bom.json',
  'sbom/cyclonedx/juice-shop-14.1.1.npm-flat.bom.1.4.json',
  'sbom/cyclonedx/keycloak-10.0.2.bom.json',
  'sbom/spdx/example11.sbom.spdx.json',
  'sbom/spdx/example8.examplemaven-0.0.1.spdx.json',
  'lockfiles/commits.v2.json',
  'lockfiles/same-package-different-groups.v1.json',
  'lockfiles/bundled-dependencies.v3.json',
] : []).map((name) => ({ name, text: readFileSync(shared.path(name), 'utf8') }));

const formats = fc.constantFrom<InventoryFormat | undefined>(undefined, 'cyclonedx', 'spdx', 'package-lock');
const fileNames = fc.constantFrom('package-lock.json', 'npm-shrinkwrap.json', 'bom.json', 'x.spdx.json', 'other.json');

/** Runs parseInventory and fails the property on anything but a result or a UfError. */
function onlyUfErrors(text: string, file: string, format?: InventoryFormat): void {
  try {
    parseInventory(text, file, format);
  } catch (error) {
    if (!(error instanceof UfError)) throw error;
    expect(['parse_error', 'import_invalid']).toContain(error.code);
    expect(error.location?.file).toBe(file);
    if (error.code === 'parse_error') {
      const lines = text.split('\n').length;
      expect(error.location?.line).toBeGreaterThanOrEqual(1);
      expect(error.location?.line).toBeLessThanOrEqual(lines);
      expect(error.location?.column).toBeGreaterThanOrEqual(1);
    }
  }
}

/** Replaces the n-th node (in walk order) of a JSON value with another value. */
function replaceNode(value: unknown, n: number, replacement: unknown): unknown {
  let count = 0;
  const walk = (node: unknown): unknown => {
    if (count++ === n) return replacement;
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    }
    return node;
  };
  return walk(value);
}

describe('parseInventory never crashes', () => {
  it('on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fileNames, formats, (text, file, format) =>
        onlyUfErrors(text, file, format),
      ),
      { numRuns: 500 },
    );
  });

  it('on random JSON values, detected or forced into each format', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fileNames, formats, (value, file, format) =>
        onlyUfErrors(JSON.stringify(value) ?? 'null', file, format),
      ),
      { numRuns: 500 },
    );
  });

  it.skipIf(!shared.available)(`on real documents with one subtree replaced by random JSON${shared.skipNote}`, () => {
    const small = realFiles.filter((file) => file.text.length < 20_000).map((file) => ({ ...file, json: JSON.parse(file.text) as unknown }));
    fc.assert(
      fc.property(fc.constantFrom(...small), fc.nat(400), fc.jsonValue({ maxDepth: 3 }), (file, n, replacement) => {
        const mutated = JSON.stringify(replaceNode(file.json, n, replacement), null, 2);
        onlyUfErrors(mutated, file.name.split('/').pop() ?? file.name);
      }),
      { numRuns: 400 },
    );
  });

  it.skipIf(!shared.available)(`on truncated prefixes of the real files, and names a line inside the prefix${shared.skipNote}`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...realFiles), fc.double({ min: 0, max: 1, noNaN: true }), (file, fraction) => {
        const prefix = file.text.slice(0, Math.floor(file.text.length * fraction));
        onlyUfErrors(prefix, file.name);
      }),
      { numRuns: 200 },
    );
  });
});
