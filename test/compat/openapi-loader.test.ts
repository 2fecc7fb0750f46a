import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOpenApiFile, loadOpenApiText } from '../../src/compat/checks/openapi-diff/index.js';
import { UfError } from '../../src/core/errors.js';

async function failure(load: Promise<unknown>): Promise<UfError> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UfError);
  return error as UfError;
}

describe('OpenAPI loader', () => {
  it('names the file, line and column of a YAML syntax error', async () => {
    const error = await failure(loadOpenApiText('openapi: 3.0.0\ninfo:\n  title: x\npaths:\n  /a: [\n', 'bad.yaml'));
    expect(error.code).toBe('parse_error');
    expect(error.location).toMatchObject({ file: 'bad.yaml' });
    expect(error.location?.line).toBeGreaterThanOrEqual(5);
  });

  it('refuses Swagger 2.0 and documents without an openapi version, pointing at the key', async () => {
    const error = await failure(loadOpenApiText('swagger: "2.0"\ninfo: {title: x, version: "1"}\npaths: {}\n', 's.yaml'));
    expect(error.describe()).toContain('Swagger 2.0');
    const other = await failure(loadOpenApiText('info: {}\nopenapi: 4.0.0\n', 'v.yaml'));
    expect(other.location).toMatchObject({ file: 'v.yaml', line: 2, path: 'openapi' });
  });

  it('points at the line of a $ref that leads nowhere', async () => {
    const text = 'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "#/components/responses/Nope"\n';
    const error = await failure(loadOpenApiText(text, 'ref.yaml'));
    expect(error.location).toMatchObject({ file: 'ref.yaml', line: 8 });
    expect(error.message).toContain('#/components/responses/Nope');
  });

  it('resolves $refs into other files next to the document, and reports a missing file as unreadable input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-openapi-'));
    writeFileSync(join(dir, 'pet.yaml'), 'type: object\nproperties:\n  name: {type: string}\n');
    writeFileSync(join(dir, 'api.yaml'), 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths:\n  /p:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "./pet.yaml"}\n');
    const spec = await loadOpenApiFile(join(dir, 'api.yaml'));
    const paths = spec.doc.paths as Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: object } }> }> } }>;
    expect(paths['/p']!.get.responses['200']!.content['application/json']!.schema.properties).toEqual({ name: { type: 'string' } });
    const missing = await failure(loadOpenApiFile(join(dir, 'absent.yaml')));
    expect(missing.exitCode).toBe(2);
    expect(missing.location?.file).toBe(join(dir, 'absent.yaml'));
  });

  it('never fetches a $ref over the network: an http $ref is an unresolvable one', async () => {
    let hits = 0;
    const server = createServer((_request, response) => {
      hits++;
      response.end('type: string\n');
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const { port } = server.address() as AddressInfo;
      const dir = mkdtempSync(join(tmpdir(), 'uf-openapi-http-'));
      const file = join(dir, 'api.yaml');
      writeFileSync(file, `openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "http://127.0.0.1:${port}/s.yaml"}\n`);
      const error = await failure(loadOpenApiFile(file));
      expect(error.message).toContain('unresolvable $ref');
      expect(error.location).toMatchObject({ file, line: 11 });
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });
});
