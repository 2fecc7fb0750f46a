import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { dereference, type ParserOptions } from '@readme/openapi-parser';
import { LineCounter, parseDocument } from 'yaml';
import { UfError, type InputLocation } from '../../../core/errors.js';
import { locatePath } from '../../../config/yaml-location.js';

/** A plain JSON object as the walkers see it (after `$ref`s are replaced by their targets). */
export type Json = Record<string, unknown>;

/** An OpenAPI 3.0/3.1 document with every `$ref` resolved, and the `$ref` each shared object came from. */
export interface LoadedSpec {
  file: string;
  version: string;
  doc: Json;
  /** `#/components/schemas/Dog` for each object that a `$ref` pointed at: how oasdiff names oneOf members. */
  refs: WeakMap<object, string>;
}

const maxAliasCount = 1000;

/**
 * Reads and resolves an OpenAPI document from a file: YAML or JSON, local and relative-file
 * `$ref`s (never over the network). Every problem is a UfError naming the file and, when known,
 * the line: unreadable file, bad YAML/JSON, not OpenAPI 3.0/3.1, a `$ref` that points nowhere.
 */
export async function loadOpenApiFile(file: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UfError('usage', `cannot read the OpenAPI document: ${(error as Error).message}`, { file }, { cause: error });
  }
  // The resolver parses the file itself (quickly); the slower, line-counting parse runs only to
  // say where a problem is.
  const refs = new WeakMap<object, string>();
  let doc: unknown;
  try {
    doc = await dereference(resolvePath(file) as never, resolverOptions(refs, true));
  } catch (error) {
    const parsed = parseText(text, file);
    checkStructure(parsed.value, parsed.at, file);
    throw refError(error, text, file);
  }
  const version = checkStructure(doc, (path) => parseText(text, file).at(path), file);
  return { file, version, doc: doc as Json, refs };
}

/**
 * The same for a document held in memory (tests, the API): `$ref`s to other files are refused,
 * since there is no folder to resolve them against.
 */
export async function loadOpenApiText(text: string, name = '<input>'): Promise<LoadedSpec> {
  const parsed = parseText(text, name);
  const version = checkStructure(parsed.value, parsed.at, name);
  const refs = new WeakMap<object, string>();
  let doc: unknown;
  try {
    doc = await dereference(parsed.value as never, resolverOptions(refs, false));
  } catch (error) {
    throw refError(error, text, name);
  }
  return { file: name, version, doc: doc as Json, refs };
}

type Locate = (path: PropertyKey[]) => InputLocation;

/** YAML or JSON text to a value, or UfError with the line and column of the syntax error. */
function parseText(text: string, file: string): { value: unknown; at: Locate } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const { line, col } = lines.linePos(yamlError.pos[0]);
    throw new UfError('parse_error', `invalid YAML or JSON: ${firstLine(yamlError.message)}`, { file, line, column: col });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount });
  } catch (error) {
    throw new UfError('parse_error', `invalid YAML: ${firstLine((error as Error).message)}`, { file }, { cause: error });
  }
  const at: Locate = (path) => {
    const point = locatePath(document.contents, path, lines);
    return { file, line: point?.line, column: point?.column, path: path.join('.') };
  };
  return { value, at };
}

/** What the walkers rely on: OpenAPI 3.0/3.1, mappings where mappings belong. Returns the version. */
function checkStructure(value: unknown, at: Locate, file: string): string {
  if (!isObject(value)) throw new UfError('parse_error', 'an OpenAPI document is a mapping at the top level', { file });
  const version = value.openapi;
  if (typeof version !== 'string' || !/^3\.[01](\.\d+)?$/.test(version)) {
    const found = value.swagger !== undefined ? `Swagger ${String(value.swagger)}` : (JSON.stringify(version) ?? 'nothing');
    throw new UfError('parse_error', `expected "openapi: 3.0.x" or "3.1.x", found ${found}`, at(['openapi']));
  }
  for (const key of ['paths', 'components', 'info'] as const) {
    if (value[key] !== undefined && !isObject(value[key])) throw new UfError('parse_error', `"${key}" must be a mapping`, at([key]));
  }
  if (value.security !== undefined && !Array.isArray(value.security)) throw new UfError('parse_error', '"security" must be a list', at(['security']));
  const paths = (value.paths ?? {}) as Json;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) throw new UfError('parse_error', `path item "${path}" must be a mapping`, at(['paths', path]));
    for (const [method, operation] of Object.entries(item)) {
      if (httpMethods.includes(method) && !isObject(operation)) throw new UfError('parse_error', `operation ${method.toUpperCase()} ${path} must be a mapping`, at(['paths', path, method]));
    }
  }
  return version;
}

/** The HTTP methods a path item may hold, in the order oasdiff reports them. */
export const httpMethods: readonly string[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function resolverOptions(refs: WeakMap<object, string>, external: boolean): ParserOptions {
  return {
    dereference: {
      circular: true,
      onDereference: (path, value) => {
        if (isObject(value) && !refs.has(value)) refs.set(value, path);
      },
    },
    // No network: a document must not make the differ fetch URLs.
    resolve: { external, http: false as unknown as undefined },
  };
}

/** A `$ref` problem with the line of the first `$ref` naming the missing target. */
function refError(error: unknown, text: string, file: string): UfError {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const target = /"([^"]+)"/.exec(message)?.[1] ?? (error as { targetRef?: string }).targetRef;
  let line: number | undefined;
  if (target !== undefined) {
    const index = text.indexOf(target.includes('#') ? target.slice(target.indexOf('#')) : target);
    if (index >= 0) line = text.slice(0, index).split('\n').length;
  }
  const what = /pointer|\$ref|resolv|Error opening file/i.test(message) ? 'unresolvable $ref' : 'cannot resolve the document';
  return new UfError('parse_error', `${what}: ${message}`, { file, line }, { cause: error });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
