import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import { parseCatalogFile } from './backstage.js';

const catalog = readFileSync(new URL('./fixtures/catalog-info.yaml', import.meta.url), 'utf8');
const lines = catalog.split('\n');

/** Mutations a hand-edited file really suffers: cut short, a line lost, a line doubled, a tab or quote slipped in. */
const damagedCatalog = fc.oneof(
  fc.nat({ max: catalog.length }).map((end) => catalog.slice(0, end)),
  fc.nat({ max: lines.length - 1 }).map((line) => lines.filter((_, index) => index !== line).join('\n')),
  fc.nat({ max: lines.length - 1 }).map((line) => lines.flatMap((text, index) => (index === line ? [text, text] : [text])).join('\n')),
  fc
    .tuple(fc.nat({ max: catalog.length }), fc.constantFrom('\t', '"', "'", ':', '[', '{', '&a ', '*a', '---\n', '- ', '%'))
    .map(([at, inserted]) => catalog.slice(0, at) + inserted + catalog.slice(at)),
  // A value swapped for something of another shape: an alias (maybe unresolved), a list, a map, null.
  fc
    .tuple(fc.nat({ max: lines.length - 1 }), fc.constantFrom('*a', '&a x', '[1, 2]', '{a: 1}', '~', '42', '!!binary aGk=', '? x'))
    .map(([line, value]) => lines.map((text, index) => (index === line ? text.replace(/:( .*)?$/, `: ${value}`) : text)).join('\n')),
);

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), damagedCatalog);

function expectWellFormed(text: string): void {
  // A hang would trip vitest's test timeout; speed itself is not asserted in unit tests.
  const result = parseCatalogFile(text, 'catalog-info.yaml');
  for (const problem of [...result.errors, ...result.warnings]) {
    expect(problem).toBeInstanceOf(UfError);
    expect(problem.location?.file).toBe('catalog-info.yaml');
  }
  for (const entity of result.entities) expect(entity.ref).toMatch(/^[a-z]+:[a-z0-9-]+\/[a-z0-9._-]+$/);
}

describe('parseCatalogFile on arbitrary input', () => {
  it('never throws and reports problems only as UfError, for random text', () => {
    fc.assert(fc.property(anyText, expectWellFormed), { numRuns: 500 });
  });

  it('never throws on damaged copies of a real catalog, and keeps whole documents before the damage', () => {
    fc.assert(
      fc.property(fc.nat({ max: catalog.length }), (end) => {
        const text = catalog.slice(0, end);
        expectWellFormed(text);
        const intact = text.split('\n---\n').length - 1;
        const result = parseCatalogFile(text, 'catalog-info.yaml');
        expect(result.entities.length + result.skipped.length).toBeGreaterThanOrEqual(intact);
      }),
      { numRuns: 300 },
    );
  });
});
