import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import type { InventoryComponent, InventoryFormat } from '../../core/inventory.js';
import { detectInventoryFormat } from './detect.js';
import { inventoryImporters } from './importers.js';
import { parseInventory } from './index.js';
import type { InventoryImporter } from './types.js';

/**
 * The shared contract every InventoryImporter passes (as the traffic routers and advisory sources
 * pass theirs): an importer is done when this suite is green against it.
 *
 *   runInventoryImporterContract({ importer: spdxImporter, fileName: 'app.spdx.json', sampleComponents: [...] });
 *
 * Each importer ships `<id>/fixtures/sample.json`, a small file of its format; the suite also
 * reads every other importer's sample, to check that each format is told from the others.
 * Test-only: it imports vitest.
 */
export interface InventoryImporterContractTarget {
  importer: InventoryImporter;
  /** A conventional file name of the format, e.g. `bom.json`. */
  fileName: string;
  /** What parsing `<id>/fixtures/sample.json` yields, every component in order. */
  sampleComponents: Array<Pick<InventoryComponent, 'ecosystem' | 'name' | 'version' | 'direct' | 'scope'>>;
}

const samplePath = (id: InventoryFormat) => new URL(`./${id}/fixtures/sample.json`, import.meta.url);
const readSample = (id: InventoryFormat): string => readFileSync(samplePath(id), 'utf8');

/** Values of the wrong shape for any inventory: none may crash an importer. */
const wrongShapes: unknown[] = [null, [], 'text', 42, true, {}];

/** Returns the UfError `run` throws, undefined when it returns; anything else thrown fails the test. */
function outcomeOf(run: () => unknown): UfError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof UfError) return error;
    throw error;
  }
}

export function runInventoryImporterContract(target: InventoryImporterContractTarget): void {
  const { importer, fileName } = target;
  const text = readSample(importer.id);
  const json = JSON.parse(text) as unknown;
  const file = `${importer.id}/fixtures/sample.json`;
  const others = (Object.keys(inventoryImporters) as InventoryFormat[]).filter((id) => id !== importer.id);

  describe(`InventoryImporter contract: ${importer.id}`, () => {
    it('is registered under its id', () => {
      expect(inventoryImporters[importer.id]).toBe(importer);
    });

    it('detects its own sample by content, whatever the file is called', () => {
      expect(importer.detect(json)).toBe(true);
      expect(detectInventoryFormat(json, 'upload.json')).toBe(importer.id);
    });

    it('does not detect the other formats’ samples, nor values of the wrong shape', () => {
      for (const id of others) expect(importer.detect(JSON.parse(readSample(id)) as unknown), `sample of ${id}`).toBe(false);
      for (const value of wrongShapes) expect(importer.detect(value), JSON.stringify(value)).toBe(false);
    });

    it('recognises its conventional file name, in any folder and case, and no other importer claims it', () => {
      expect(importer.matchesFileName(fileName)).toBe(true);
      expect(importer.matchesFileName(`/srv/inventories/${fileName.toUpperCase()}`)).toBe(true);
      expect(importer.matchesFileName('upload.json')).toBe(false);
      for (const id of others) expect(inventoryImporters[id].matchesFileName(fileName), id).toBe(false);
      expect(detectInventoryFormat({}, fileName)).toBe(importer.id);
    });

    it('parses its sample into components with ecosystem, name and version', () => {
      const inventory = importer.parse(json, { file, text });
      expect(inventory.format).toBe(importer.id);
      expect(inventory.formatVersion).not.toBe('');
      expect(inventory.components.map(({ ecosystem, name, version, direct, scope }) => ({ ecosystem, name, version, direct, scope }))).toEqual(target.sampleComponents);
      for (const component of inventory.components) {
        expect(component.purl).toMatch(/^pkg:[a-z][a-z0-9.+-]*\/.+@.+$/);
      }
    });

    it('refuses values of the wrong shape with an import_invalid error naming the file', () => {
      for (const value of wrongShapes) {
        const error = outcomeOf(() => importer.parse(value, { file }));
        expect(error?.code, JSON.stringify(value)).toBe('import_invalid');
        expect(error?.location?.file).toBe(file);
      }
    });

    it('locates a wrong value at its key path and line, or reads past a key it does not use', () => {
      if (typeof json !== 'object' || json === null) throw new Error('a sample is a JSON object');
      let located = 0;
      for (const key of Object.keys(json)) {
        for (const wrong of [42, 'x', [1]]) {
          const mutated = { ...(json as Record<string, unknown>), [key]: wrong };
          const mutatedText = JSON.stringify(mutated, null, 2);
          const error = outcomeOf(() => importer.parse(mutated, { file, text: mutatedText }));
          if (error === undefined) continue;
          expect(error.code, `${key}: ${JSON.stringify(wrong)}`).toBe('import_invalid');
          expect(error.location?.path ?? '', key).toMatch(new RegExp(`^${key.replace(/[$-]/g, '\\$&')}\\b`));
          expect(error.location?.line, key).toBeGreaterThan(1);
          located += 1;
        }
      }
      // The sample's own marker, at least, is a key the importer reads.
      expect(located).toBeGreaterThan(0);
    });

    it('throws only UfError on truncated text, never a crash', () => {
      for (let end = 0; end < text.length; end += 5) {
        const error = outcomeOf(() => parseInventory(text.slice(0, end), file, importer.id));
        if (error) expect(['parse_error', 'import_invalid']).toContain(error.code);
      }
    });

    it('gives the same output for the same input', () => {
      const first = importer.parse(json, { file, text });
      expect(importer.parse(JSON.parse(text) as unknown, { file, text })).toEqual(first);
      expect(importer.parse(JSON.parse(JSON.stringify(json)) as unknown, { file })).toEqual(first);
    });
  });
}
