import { describe, expect, it } from 'vitest';
import { diffOpenApi, knownChecks, loadOpenApiText, type ApiChange } from '../../src/compat/checks/openapi-diff/index.js';

type Op = Record<string, unknown>;

/** A document with one operation, `POST /items/{id}` unless told otherwise. */
function spec(operation: Op, extra: Record<string, unknown> = {}, path = '/items/{id}', method = 'post'): string {
  return JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { [path]: { [method]: { responses: { '200': { description: 'ok' } }, ...operation } } }, ...extra });
}

async function diff(before: string, after: string, today = '2026-12-01'): Promise<ApiChange[]> {
  return diffOpenApi(await loadOpenApiText(before, 'old'), await loadOpenApiText(after, 'new'), { today });
}

const ids = (changes: ApiChange[]) => changes.map((c) => `${c.id}/${c.level}`).sort();

const body = (schema: unknown, required = true) => ({ requestBody: { required, content: { 'application/json': { schema } } } });
const answer = (schema: unknown, status = '200') => ({ responses: { [status]: { description: 'ok', content: { 'application/json': { schema } } } } });
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const query = (name: string, extra: Record<string, unknown> = {}) => ({ name, in: 'query', schema: { type: 'string' }, ...extra });

describe('paths and operations', () => {
  it('a removed path breaks clients; a deprecated one past its sunset is an info entry; before its sunset it breaks', async () => {
    const two = JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: {} } }, '/b': { get: { responses: {} } } } });
    const one = JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: {} } } } });
    expect(ids(await diff(two, one))).toEqual(['api-path-removed-without-deprecation/breaking']);
    const deprecated = (sunset: string) => JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: {} } }, '/b': { get: { deprecated: true, 'x-sunset': sunset, responses: {} } } } });
    expect(ids(await diff(deprecated('2026-01-01'), one))).toEqual(['api-path-removed-with-deprecation/info']);
    expect(ids(await diff(deprecated('2027-01-01'), one))).toEqual(['api-path-removed-before-sunset/breaking']);
    expect(ids(await diff(one, two))).toEqual(['endpoint-added/info']);
  });

  it('a removed operation on a kept path is api-removed-without-deprecation; renamed path parameters are the same path', async () => {
    const both = JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { '/u/{id}': { get: { responses: {} }, delete: { responses: {} } } } });
    const get = JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { '/u/{userId}': { get: { responses: {} } } } });
    expect(ids(await diff(both, get))).toEqual(['api-removed-without-deprecation/breaking']);
    expect(await diff(get, get)).toEqual([]);
  });
});

describe('parameters', () => {
  it('removed is a warning, a new required one breaks, a new optional one is info', async () => {
    expect(ids(await diff(spec({ parameters: [query('q')] }), spec({})))).toEqual(['request-parameter-removed/warning']);
    expect(ids(await diff(spec({}), spec({ parameters: [query('q', { required: true })] })))).toEqual(['new-required-request-parameter/breaking']);
    expect(ids(await diff(spec({}), spec({ parameters: [query('q')] })))).toEqual(['new-optional-request-parameter/info']);
  });

  it('a deprecated parameter may go once its sunset has passed; before it, or with an unreadable date, it may not', async () => {
    const deprecated = (sunset: string) => spec({ parameters: [query('q', { deprecated: true, 'x-sunset': sunset })] });
    expect(ids(await diff(deprecated('2026-06-01'), spec({})))).toEqual(['request-parameter-removed-with-deprecation/info']);
    expect(ids(await diff(deprecated('2027-06-01'), spec({})))).toEqual(['request-parameter-removed-before-sunset/breaking']);
    expect(ids(await diff(deprecated('next spring'), spec({})))).toEqual(['request-parameter-sunset-parse/breaking']);
  });

  it('became required breaks, became optional does not; header names ignore case', async () => {
    const header = (name: string, required: boolean) => spec({ parameters: [{ name, in: 'header', required, schema: { type: 'string' } }] });
    expect(ids(await diff(header('X-Id', false), header('x-id', true)))).toEqual(['request-parameter-became-required/breaking']);
    expect(ids(await diff(header('X-Id', true), header('x-id', false)))).toEqual(['request-parameter-became-optional/info']);
  });

  it('narrowed schemas break (enum value removed, max lowered, min raised, type changed); widened ones do not', async () => {
    const p = (schema: object) => spec({ parameters: [{ name: 'q', in: 'query', schema }] });
    expect(ids(await diff(p({ type: 'string', enum: ['a', 'b'] }), p({ type: 'string', enum: ['a'] })))).toEqual(['request-parameter-enum-value-removed/breaking']);
    expect(ids(await diff(p({ type: 'string', enum: ['a'] }), p({ type: 'string', enum: ['a', 'b'] })))).toEqual(['request-parameter-enum-value-added/info']);
    expect(ids(await diff(p({ type: 'string', maxLength: 9 }), p({ type: 'string', maxLength: 5 })))).toEqual(['request-parameter-max-length-decreased/breaking']);
    expect(ids(await diff(p({ type: 'integer', minimum: 1 }), p({ type: 'integer', minimum: 3 })))).toEqual(['request-parameter-min-increased/breaking']);
    expect(ids(await diff(p({ type: 'integer', minimum: 3 }), p({ type: 'integer', minimum: 1 })))).toEqual(['request-parameter-min-decreased/info']);
    expect(ids(await diff(p({ type: 'integer' }), p({ type: 'string' })))).toEqual(['request-parameter-type-changed/breaking']);
    expect(ids(await diff(p({ type: 'integer' }), p({ type: 'number' })))).toEqual(['request-parameter-type-generalized/info']);
    expect(ids(await diff(p({ type: 'string' }), p({ type: 'string', format: 'uuid' })))).toEqual(['request-parameter-type-changed/breaking']);
    expect(ids(await diff(p({ type: 'string' }), p({ type: 'string', pattern: '^a' })))).toEqual(['request-parameter-pattern-added/warning']);
    expect(ids(await diff(p({ type: 'string', nullable: true }), p({ type: 'string' })))).toEqual(['request-parameter-became-not-nullable/breaking']);
  });
});

describe('request bodies', () => {
  it('a new required property breaks, unless it has a default; a new optional one and a removed one do not break', async () => {
    const base = body(object({ a: { type: 'string' } }, ['a']));
    expect(ids(await diff(spec(base), spec(body(object({ a: { type: 'string' }, b: { type: 'string' } }, ['a', 'b'])))))).toEqual(['new-required-request-property/breaking']);
    expect(ids(await diff(spec(base), spec(body(object({ a: { type: 'string' }, b: { type: 'string', default: 'x' } }, ['a', 'b'])))))).toEqual(['new-required-request-property-with-default/info']);
    expect(ids(await diff(spec(base), spec(body(object({ a: { type: 'string' }, b: { type: 'string' } }, ['a'])))))).toEqual(['new-optional-request-property/info']);
    expect(ids(await diff(spec(body(object({ a: { type: 'string' }, b: { type: 'string' } }, ['a']))), spec(base)))).toEqual(['request-property-removed/warning']);
  });

  it('a property that became required breaks; a read-only one added as required does not concern clients', async () => {
    expect(ids(await diff(spec(body(object({ a: { type: 'string' } }))), spec(body(object({ a: { type: 'string' } }, ['a'])))))).toEqual(['request-property-became-required/breaking']);
    expect(ids(await diff(spec(body(object({}))), spec(body(object({ id: { type: 'string', readOnly: true } }, ['id'])))))).toEqual([]);
  });

  it('media type removed breaks, added does not; body became required breaks', async () => {
    const two = { requestBody: { content: { 'application/json': { schema: { type: 'object' } }, 'application/xml': { schema: { type: 'object' } } } } };
    const one = { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } };
    expect(ids(await diff(spec(two), spec(one)))).toEqual(['request-body-media-type-removed/breaking']);
    expect(ids(await diff(spec(one), spec(two)))).toEqual(['request-body-media-type-added/info']);
    expect(ids(await diff(spec(one), spec({ requestBody: { ...one.requestBody, required: true } })))).toEqual(['request-body-became-required/breaking']);
    expect(ids(await diff(spec({}), spec({ requestBody: { ...one.requestBody, required: true } })))).toEqual(['added-required-request-body/breaking']);
  });

  it('nested property type changes and nullability, by direction', async () => {
    const item = (schema: object) => spec(body(object({ tags: { type: 'array', items: object({ n: schema }) } })));
    expect(ids(await diff(item({ type: 'integer' }), item({ type: 'string' })))).toEqual(['request-property-type-changed/breaking']);
    expect(ids(await diff(item({ type: 'string' }), item({ type: ['string', 'null'] })))).toEqual(['request-property-became-nullable/info']);
    expect(ids(await diff(item({ type: 'string', nullable: true }), item({ type: 'string' })))).toEqual(['request-property-became-not-nullable/breaking']);
  });
});

describe('responses', () => {
  it('a removed success status and media type break; a removed error status and added ones do not', async () => {
    const both = { responses: { '200': { description: 'ok' }, '404': { description: 'no' } } };
    expect(ids(await diff(spec(both), spec({ responses: { '404': { description: 'no' } } })))).toEqual(['response-success-status-removed/breaking']);
    expect(ids(await diff(spec(both), spec({ responses: { '200': { description: 'ok' } } })))).toEqual(['response-non-success-status-removed/info']);
    expect(ids(await diff(spec({ responses: { '404': { description: 'no' } } }), spec(both)))).toEqual(['response-success-status-added/info']);
    const media = (types: string[]) => spec({ responses: { '200': { description: 'ok', content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])) } } });
    expect(ids(await diff(media(['application/json', 'text/csv']), media(['application/json'])))).toEqual(['response-media-type-removed/breaking']);
    expect(ids(await diff(media(['application/json']), media(['application/json', 'text/csv'])))).toEqual(['response-media-type-added/info']);
  });

  it('removed required property and became-optional break; removed optional warns; added ones are info', async () => {
    const full = answer(object({ id: { type: 'string' }, note: { type: 'string' } }, ['id']));
    expect(ids(await diff(spec(full), spec(answer(object({ note: { type: 'string' } })))))).toEqual(['response-required-property-removed/breaking']);
    expect(ids(await diff(spec(full), spec(answer(object({ id: { type: 'string' } }, ['id'])))))).toEqual(['response-optional-property-removed/warning']);
    expect(ids(await diff(spec(full), spec(answer(object({ id: { type: 'string' }, note: { type: 'string' } })))))).toEqual(['response-property-became-optional/breaking']);
    expect(ids(await diff(spec(answer(object({ id: { type: 'string' } }, ['id']))), spec(full)))).toEqual(['response-optional-property-added/info']);
  });

  it('a response that may send more breaks clients (enum value added warns, became nullable, max raised); sending less does not', async () => {
    const a = (schema: object) => spec(answer(object({ s: schema })));
    expect(ids(await diff(a({ type: 'string', enum: ['a'] }), a({ type: 'string', enum: ['a', 'b'] })))).toEqual(['response-property-enum-value-added/warning']);
    expect(ids(await diff(a({ type: 'string', enum: ['a', 'b'] }), a({ type: 'string', enum: ['a'] })))).toEqual(['response-property-enum-value-removed/info']);
    expect(ids(await diff(a({ type: 'string' }), a({ type: 'string', nullable: true })))).toEqual(['response-property-became-nullable/breaking']);
    expect(ids(await diff(a({ type: 'integer', maximum: 5 }), a({ type: 'integer', maximum: 9 })))).toEqual(['response-property-max-increased/breaking']);
    expect(ids(await diff(a({ type: 'integer', maximum: 9 }), a({ type: 'integer', maximum: 5 })))).toEqual(['response-property-max-decreased/info']);
    expect(ids(await diff(a({ type: 'number' }), a({ type: 'integer' })))).toEqual(['response-property-type-specialized/info']);
    expect(ids(await diff(a({ type: 'integer' }), a({ type: 'number' })))).toEqual(['response-property-type-changed/breaking']);
  });
});

describe('oneOf / anyOf / allOf', () => {
  const components = (names: string[]) => ({ components: { schemas: Object.fromEntries(names.map((n) => [n, object({ [n.toLowerCase()]: { type: 'string' } })])) } });
  const oneOf = (names: string[], where: 'request' | 'response', keyword = 'oneOf') => {
    const schema = { [keyword]: names.map((n) => ({ $ref: `#/components/schemas/${n}` })) };
    return spec(where === 'request' ? body(schema) : answer(schema), components(['Cat', 'Dog', 'Fox']));
  };

  it('a member removed from a request breaks, added does not; in a response it is the other way round', async () => {
    expect(await diff(oneOf(['Cat', 'Dog'], 'request'), oneOf(['Cat'], 'request'))).toMatchObject([{ id: 'request-body-one-of-removed', level: 'breaking', text: expect.stringContaining('#/components/schemas/Dog') }]);
    expect(ids(await diff(oneOf(['Cat'], 'request'), oneOf(['Cat', 'Dog'], 'request')))).toEqual(['request-body-one-of-added/info']);
    expect(ids(await diff(oneOf(['Cat'], 'response'), oneOf(['Cat', 'Fox'], 'response')))).toEqual(['response-body-one-of-added/breaking']);
    expect(ids(await diff(oneOf(['Cat'], 'response', 'anyOf'), oneOf(['Cat', 'Fox'], 'response', 'anyOf')))).toEqual(['response-body-any-of-added/breaking']);
    expect(ids(await diff(oneOf(['Cat'], 'request', 'allOf'), oneOf(['Cat', 'Fox'], 'request', 'allOf')))).toEqual(['request-body-all-of-added/breaking']);
    expect(await diff(oneOf(['Cat', 'Dog'], 'request'), oneOf(['Cat', 'Dog'], 'request'))).toEqual([]);
  });
});

describe('security', () => {
  const sec = (security: unknown) => spec({ security }, { components: { securitySchemes: { oauth: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://x', scopes: { read: '', write: '' } } } } } } });

  it('a scope added to a kept requirement breaks; requirements added or removed are info, as in oasdiff', async () => {
    expect(ids(await diff(sec([{ oauth: ['read'] }]), sec([{ oauth: ['read', 'write'] }])))).toEqual(['api-security-scope-added/breaking']);
    expect(ids(await diff(sec([{ oauth: ['read', 'write'] }]), sec([{ oauth: ['read'] }])))).toEqual(['api-security-scope-removed/info']);
    expect(ids(await diff(sec([]), sec([{ oauth: [] }])))).toEqual(['api-security-added/info']);
    expect(await diff(sec([{ oauth: ['read'] }]), sec([{ oauth: ['read'] }]))).toEqual([]);
  });
});

describe('circular $refs', () => {
  it('walks a self-referencing schema once and still sees changes inside it', async () => {
    const tree = (leaf: object) => spec(answer({ $ref: '#/components/schemas/Node' }), { components: { schemas: { Node: object({ value: leaf, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } }) } } });
    expect(await diff(tree({ type: 'string' }), tree({ type: 'string' }))).toEqual([]);
    const changes = await diff(tree({ type: 'string' }), tree({ type: 'integer' }));
    expect(changes.map((c) => c.id)).toContain('response-property-type-changed');
  });
});

describe('check ids', () => {
  it('are kebab-case and unique, each with one level', () => {
    const checks = knownChecks();
    expect(checks.length).toBeGreaterThan(200);
    for (const { id, level } of checks) {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(['breaking', 'warning', 'info']).toContain(level);
    }
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });
});
