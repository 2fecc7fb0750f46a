import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { diffOpenApi, loadOpenApiFile, loadOpenApiText } from '../../src/compat/checks/openapi-diff/index.js';
import { UfError } from '../../src/core/errors.js';

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const leaf = fc.oneof(
  fc.record({ type: fc.constantFrom('string', 'integer', 'number', 'boolean') }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), maxLength: fc.nat(50), pattern: fc.constant('^[a-z]+$') }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('integer'), minimum: fc.integer({ min: -5, max: 5 }), maximum: fc.integer({ min: 6, max: 99 }), nullable: fc.boolean() }, { requiredKeys: ['type'] }),
  fc.constant({ $ref: '#/components/schemas/Shared' }),
);

const { schema } = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.dictionary(name, tie('schema'), { maxKeys: 4 }).chain((properties) =>
      fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, ...(required.length ? { required } : {}) })),
    ),
    fc.record({ type: fc.constant('array'), items: tie('schema') }),
    fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
  ),
}));

const parameter = fc.record({ name, in: fc.constantFrom('query', 'header', 'cookie'), required: fc.boolean(), schema: leaf });
const operation = fc.record(
  {
    parameters: fc.uniqueArray(parameter, { maxLength: 3, selector: (p) => `${p.in}:${p.name.toLowerCase()}` }),
    requestBody: fc.record({ required: fc.boolean(), content: fc.record({ 'application/json': fc.record({ schema }) }) }),
    responses: fc.dictionary(fc.constantFrom('200', '201', '400', '404', 'default'), fc.record({ description: fc.constant('r'), content: fc.record({ 'application/json': fc.record({ schema }) }) }), { minKeys: 1, maxKeys: 3 }),
    security: fc.array(fc.dictionary(fc.constantFrom('oauth', 'key'), fc.uniqueArray(name, { maxLength: 2 }), { maxKeys: 2 }), { maxLength: 2 }),
    deprecated: fc.boolean(),
  },
  { requiredKeys: ['responses'] },
);

const document = fc.record({
  openapi: fc.constantFrom('3.0.3', '3.1.0'),
  info: fc.constant({ title: 'generated', version: '1' }),
  paths: fc.dictionary(name.map((n) => `/${n}`), fc.dictionary(fc.constantFrom('get', 'post', 'put', 'delete'), operation, { minKeys: 1, maxKeys: 2 }), { maxKeys: 4 }),
  components: fc.constant({ schemas: { Shared: { type: 'object', properties: { id: { type: 'string' }, next: { $ref: '#/components/schemas/Shared' } }, required: ['id'] } } }),
});

describe('OpenAPI diff properties', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uf-openapi-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a document compared with itself has no changes', async () => {
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const text = JSON.stringify(doc);
        const changes = diffOpenApi(await loadOpenApiText(text, 'a'), await loadOpenApiText(text, 'b'), { today: '2026-12-01' });
        expect(changes).toEqual([]);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('the loader answers a mutated document with a document or a UfError naming it, never anything else; the diff never throws', async () => {
    const mutation = fc.record({ at: fc.nat(), cut: fc.nat(20), insert: fc.constantFrom('', ':', '{', '}', '[', '"', '\n', '  ', '- ', '$ref: "#/nope"', '"$ref":"#/components/x"', 'openapi: 2.0', '&a', '*a', '\t', 'null', ',') });
    await fc.assert(
      fc.asyncProperty(document, fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (doc, asYaml, mutations) => {
        const { stringify } = await import('yaml');
        let text = asYaml ? stringify(doc) : JSON.stringify(doc, null, 1);
        const original = text;
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.insert + text.slice(at + m.cut);
        }
        // The file path takes another route (the resolver parses first): both must behave.
        const file = join(dir, 'mutated.yaml');
        writeFileSync(file, text);
        await loadOpenApiFile(file).catch((error: unknown) => {
          expect(error).toBeInstanceOf(UfError);
          expect((error as UfError).location?.file).toBe(file);
        });
        let loaded;
        try {
          loaded = await loadOpenApiText(text, 'mutated.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(UfError);
          expect((error as UfError).location?.file).toBe('mutated.yaml');
          return;
        }
        diffOpenApi(await loadOpenApiText(original, 'original'), loaded, { today: '2026-12-01' });
        diffOpenApi(loaded, await loadOpenApiText(original, 'original'), { today: '2026-12-01' });
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
