import type { ChangeSink, SchemaCheck, SchemaSubject } from './change.js';
import { isObject, type Json } from './loader.js';

/** Where a schema sits and who reads it: the walker reports into `sink` for one operation. */
export interface SchemaScope {
  sink: ChangeSink;
  operation: string;
  path: string;
  /** Request schemas are written by clients, response schemas read by them: the direction decides the level. */
  direction: 'request' | 'response';
  /** Location of the schema inside the operation, e.g. `requestBody.content.application/json.schema`. */
  location: string;
  /** For a parameter's schema: report as `request-parameter-*` and do not walk into properties. */
  parameter?: string;
  oldRefs: WeakMap<object, string>;
  newRefs: WeakMap<object, string>;
}

/**
 * Compares two schemas the way oasdiff's schema checks do: type and format, nullability, enum,
 * pattern, numeric, length and item limits, properties (added, removed, required or not) and
 * oneOf/anyOf/allOf members, recursing into properties, array items and matched members.
 * Cyclic schemas (from circular `$ref`s) are walked once per pair.
 */
export function diffSchema(scope: SchemaScope, oldSchema: unknown, newSchema: unknown): void {
  walk(scope, oldSchema, newSchema, '', new WeakMap());
}

type Seen = WeakMap<object, WeakSet<object>>;

function walk(scope: SchemaScope, before: unknown, after: unknown, prop: string, seen: Seen): void {
  if (!isObject(before) || !isObject(after)) return;
  let pairs = seen.get(before);
  if (!pairs) seen.set(before, (pairs = new WeakSet()));
  if (pairs.has(after)) return;
  pairs.add(after);

  const subject: SchemaSubject = scope.parameter !== undefined ? 'request-parameter' : prop === '' ? `${scope.direction}-body` : `${scope.direction}-property`;
  const report = (check: SchemaCheck, text: string) => {
    const what = scope.parameter ?? (prop === '' ? `${scope.direction} body` : `${scope.direction} property '${prop}'`);
    const location = prop === '' ? scope.location : `${scope.location}/${prop.replace(/^\//, '')}`;
    scope.sink.addSchema(subject, check, scope.operation, scope.path, location, `${what}: ${text}`);
  };

  compareType(before, after, scope.direction, report);
  compareNullable(before, after, report);
  compareEnum(before, after, report);
  comparePattern(before, after, report);
  compareLimits(before, after, report);
  compareComposition(scope, before, after, prop, seen, report);
  if (scope.parameter !== undefined) return;
  compareProperties(scope, before, after, prop, seen);
  if (isObject(before.items) && isObject(after.items)) walk(scope, before.items, after.items, join(prop, 'items'), seen);
}

function join(prop: string, name: string): string {
  return prop === '' ? name : `${prop}/${name}`;
}

type Report = (check: SchemaCheck, text: string) => void;

/** Types without `null` (3.1 writes nullability into `type`), sorted. */
function typesOf(schema: Json): string[] {
  const raw = schema.type;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return [...new Set(list.filter((t): t is string => typeof t === 'string' && t !== 'null'))].sort();
}

function isNullable(schema: Json): boolean {
  return schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null')) || schema.type === 'null';
}

/** Every value of `narrow` is a value of `wide`: the same types (an integer is a number) and no new format. */
function accepts(wide: { types: string[]; format: unknown }, narrow: { types: string[]; format: unknown }): boolean {
  const typeCovered = narrow.types.every((t) => wide.types.includes(t) || (t === 'integer' && wide.types.includes('number')));
  return typeCovered && (wide.format === undefined || wide.format === narrow.format);
}

function compareType(before: Json, after: Json, direction: 'request' | 'response', report: Report): void {
  const old = { types: typesOf(before), format: before.format };
  const now = { types: typesOf(after), format: after.format };
  if (old.types.length === 0 || now.types.length === 0) return;
  if (old.types.join() === now.types.join() && old.format === now.format) return;
  const text = `type/format changed from '${old.types.join('|')}'/'${String(old.format ?? '')}' to '${now.types.join('|')}'/'${String(now.format ?? '')}'`;
  if (direction === 'request' && accepts(now, old)) report('type-generalized', text);
  else if (direction === 'response' && accepts(old, now)) report('type-specialized', text);
  else report('type-changed', text);
}

function compareNullable(before: Json, after: Json, report: Report): void {
  const old = isNullable(before);
  const now = isNullable(after);
  if (!old && now) report('became-nullable', 'became nullable');
  if (old && !now) report('became-not-nullable', 'became not nullable');
}

function compareEnum(before: Json, after: Json, report: Report): void {
  const old = Array.isArray(before.enum) ? before.enum : undefined;
  const now = Array.isArray(after.enum) ? after.enum : undefined;
  if (now === undefined) return;
  if (old === undefined) {
    report('became-enum', `became an enum of ${now.map((v) => JSON.stringify(v)).join(', ')}`);
    return;
  }
  const oldKeys = new Set(old.map((v) => JSON.stringify(v)));
  const newKeys = new Set(now.map((v) => JSON.stringify(v)));
  for (const key of oldKeys) if (!newKeys.has(key)) report('enum-value-removed', `enum value ${key} removed`);
  for (const key of newKeys) if (!oldKeys.has(key)) report('enum-value-added', `enum value ${key} added`);
}

function comparePattern(before: Json, after: Json, report: Report): void {
  const old = typeof before.pattern === 'string' ? before.pattern : undefined;
  const now = typeof after.pattern === 'string' ? after.pattern : undefined;
  if (old === now) return;
  if (old === undefined) report('pattern-added', `pattern '${now}' added`);
  else if (now === undefined) report('pattern-removed', `pattern '${old}' removed`);
  else report('pattern-changed', `pattern changed from '${old}' to '${now}'`);
}

/** Upper limits: a smaller one refuses more. Lower limits of lengths and items default to 0. */
const upperLimits = [
  ['maximum', 'max'],
  ['maxLength', 'max-length'],
  ['maxItems', 'max-items'],
] as const;
const lowerLimits = [
  ['minimum', 'min', undefined],
  ['minLength', 'min-length', 0],
  ['minItems', 'min-items', 0],
] as const;

function numberOr(value: unknown, fallback: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function compareLimits(before: Json, after: Json, report: Report): void {
  for (const [key, name] of upperLimits) {
    const old = numberOr(before[key], undefined);
    const now = numberOr(after[key], undefined);
    if (old === now) continue;
    if (old === undefined) report(`${name}-set`, `${key} set to ${now}`);
    else if (now === undefined) report(`${name}-unset`, `${key} ${old} removed`);
    else report(now < old ? `${name}-decreased` : `${name}-increased`, `${key} changed from ${old} to ${now}`);
  }
  for (const [key, name, implicit] of lowerLimits) {
    const old = numberOr(before[key], implicit);
    const now = numberOr(after[key], implicit);
    if (old === now) continue;
    if (old === undefined) report('min-set', `${key} set to ${now}`);
    else if (now === undefined) report('min-unset', `${key} ${old} removed`);
    else report(now > old ? `${name}-increased` : `${name}-decreased`, `${key} changed from ${old} to ${now}`);
  }
}

const compositions = [
  ['oneOf', 'one-of'],
  ['anyOf', 'any-of'],
  ['allOf', 'all-of'],
] as const;

/**
 * Members are matched by the `$ref` they came from (how oasdiff names them), else by title, else
 * by their content; unmatched members are reported as added or removed, matched ones are walked.
 */
function compareComposition(scope: SchemaScope, before: Json, after: Json, prop: string, seen: Seen, report: Report): void {
  for (const [key, name] of compositions) {
    const old = membersOf(before[key], scope.oldRefs);
    const now = membersOf(after[key], scope.newRefs);
    // A list per key: the same member may be listed twice.
    const unmatched = new Map<string, Member[]>();
    for (const member of now) unmatched.set(member.key, [...(unmatched.get(member.key) ?? []), member]);
    for (const member of old) {
      const match = unmatched.get(member.key)?.shift();
      if (!match) {
        report(`${name}-removed`, `${key} member ${member.label} removed`);
        continue;
      }
      walk(scope, member.schema, match.schema, `${prop}/${key}[${member.label}]`, seen);
    }
    for (const member of [...unmatched.values()].flat()) report(`${name}-added`, `${key} member ${member.label} added`);
  }
}

interface Member {
  key: string;
  label: string;
  schema: Json;
}

function membersOf(value: unknown, refs: WeakMap<object, string>): Member[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((schema, index) => {
    const ref = refs.get(schema);
    if (ref !== undefined) return { key: `ref:${ref}`, label: ref, schema };
    if (typeof schema.title === 'string') return { key: `title:${schema.title}`, label: schema.title, schema };
    return { key: `content:${contentKey(schema) ?? index}`, label: `#${index}`, schema };
  });
}

/** A stable text of a schema, or undefined for a cyclic one. */
function contentKey(schema: Json): string | undefined {
  try {
    return JSON.stringify(schema, (_key, value: unknown) => (isObject(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value));
  } catch {
    return undefined;
  }
}

function requiredSet(schema: Json): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
}

function compareProperties(scope: SchemaScope, before: Json, after: Json, prop: string, seen: Seen): void {
  const oldProps = isObject(before.properties) ? before.properties : {};
  const newProps = isObject(after.properties) ? after.properties : {};
  const oldRequired = requiredSet(before);
  const newRequired = requiredSet(after);
  const { sink, operation, path } = scope;
  const at = (name: string) => `${scope.location}/${join(prop, name).replace(/^\//, '')}`;
  const request = scope.direction === 'request';
  for (const [name, oldProp] of Object.entries(oldProps)) {
    const full = join(prop, name);
    const newProp = newProps[name];
    const old = isObject(oldProp) ? oldProp : {};
    if (newProp === undefined) {
      if (request) {
        if (old.readOnly !== true) sink.add('request-property-removed', operation, path, at(name), `request property '${full}' removed`);
      } else if (oldRequired.has(name)) {
        if (old.writeOnly !== true) sink.add('response-required-property-removed', operation, path, at(name), `required response property '${full}' removed`);
      } else {
        sink.add('response-optional-property-removed', operation, path, at(name), `optional response property '${full}' removed`);
      }
      continue;
    }
    const now = isObject(newProp) ? newProp : {};
    const wasRequired = oldRequired.has(name);
    const isRequired = newRequired.has(name);
    if (request && now.readOnly !== true) {
      if (!wasRequired && isRequired) sink.add('request-property-became-required', operation, path, at(name), `request property '${full}' became required`);
      if (wasRequired && !isRequired) sink.add('request-property-became-optional', operation, path, at(name), `request property '${full}' became optional`);
    }
    if (!request && now.writeOnly !== true) {
      if (wasRequired && !isRequired) sink.add('response-property-became-optional', operation, path, at(name), `response property '${full}' became optional`);
      if (!wasRequired && isRequired) sink.add('response-property-became-required', operation, path, at(name), `response property '${full}' became required`);
    }
    walk(scope, old, now, full, seen);
  }
  for (const [name, newProp] of Object.entries(newProps)) {
    if (name in oldProps) continue;
    const full = join(prop, name);
    const now = isObject(newProp) ? newProp : {};
    const required = newRequired.has(name);
    if (request) {
      if (now.readOnly === true) continue;
      if (!required) sink.add('new-optional-request-property', operation, path, at(name), `optional request property '${full}' added`);
      else if (now.default !== undefined) sink.add('new-required-request-property-with-default', operation, path, at(name), `required request property '${full}' added, with a default`);
      else sink.add('new-required-request-property', operation, path, at(name), `required request property '${full}' added`);
    } else if (required) {
      if (now.writeOnly !== true) sink.add('response-required-property-added', operation, path, at(name), `required response property '${full}' added`);
    } else {
      sink.add('response-optional-property-added', operation, path, at(name), `optional response property '${full}' added`);
    }
  }
}
