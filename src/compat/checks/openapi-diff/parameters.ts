import { isObject, type Json } from './loader.js';
import { removalVerdict, type OperationPair } from './operation-scope.js';
import { diffSchema } from './schema-diff.js';

interface Parameter {
  key: string;
  label: string;
  value: Json;
}

/** An operation's parameters with the path item's ones it inherits, keyed by location and name (header names ignore case). */
function parametersOf(operation: Json, pathItem: Json): Map<string, Parameter> {
  const result = new Map<string, Parameter>();
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const value of list) {
      if (!isObject(value) || typeof value.name !== 'string' || typeof value.in !== 'string') continue;
      const name = value.in === 'header' ? value.name.toLowerCase() : value.name;
      result.set(`${value.in}:${name}`, { key: `${value.in}:${name}`, label: `'${value.in}' request parameter '${value.name}'`, value });
    }
  };
  add(pathItem.parameters);
  add(operation.parameters);
  return result;
}

/**
 * Parameters removed (a warning: clients still send them; allowed after deprecation and sunset),
 * added (breaking when required or in the path), made required or optional, their default
 * changed, and their schemas compared as request schemas.
 */
export function diffParameters(pair: OperationPair): void {
  const { sink, operation, path } = pair;
  const old = parametersOf(pair.old, pair.oldPathItem);
  const now = parametersOf(pair.new, pair.newPathItem);
  for (const [key, before] of old) {
    const location = `parameters.${key.replace(':', '.')}`;
    const after = now.get(key);
    if (!after) {
      const verdict = removalVerdict(before.value, pair.today);
      if (verdict === 'without-deprecation') sink.add('request-parameter-removed', operation, path, location, `deleted the ${before.label}`);
      else if (verdict === 'sunset-parse') sink.add('request-parameter-sunset-parse', operation, path, location, `deleted the deprecated ${before.label}, whose sunset date '${String(before.value['x-sunset'])}' is not a YYYY-MM-DD date`);
      else if (verdict === 'before-sunset') sink.add('request-parameter-removed-before-sunset', operation, path, location, `deleted the ${before.label} before its sunset date '${String(before.value['x-sunset'])}'`);
      else sink.add('request-parameter-removed-with-deprecation', operation, path, location, `deleted the deprecated ${before.label}`);
      continue;
    }
    const wasRequired = before.value.required === true;
    const isRequired = after.value.required === true;
    if (!wasRequired && isRequired) sink.add('request-parameter-became-required', operation, path, location, `the ${before.label} became required`);
    if (wasRequired && !isRequired) sink.add('request-parameter-became-optional', operation, path, location, `the ${before.label} became optional`);
    const oldSchema = isObject(before.value.schema) ? before.value.schema : undefined;
    const newSchema = isObject(after.value.schema) ? after.value.schema : undefined;
    if (!oldSchema || !newSchema) continue;
    const oldDefault = JSON.stringify(oldSchema.default);
    const newDefault = JSON.stringify(newSchema.default);
    if (oldDefault !== newDefault) {
      if (oldSchema.default === undefined) sink.add('request-parameter-default-value-added', operation, path, location, `the ${before.label} got the default ${newDefault}`);
      else if (newSchema.default === undefined) sink.add('request-parameter-default-value-removed', operation, path, location, `the ${before.label} lost its default ${oldDefault}`);
      else sink.add('request-parameter-default-value-changed', operation, path, location, `the default of the ${before.label} changed from ${oldDefault} to ${newDefault}`);
    }
    diffSchema({ sink, operation, path, direction: 'request', location: `${location}.schema`, parameter: `the ${before.label}`, oldRefs: pair.oldRefs, newRefs: pair.newRefs }, oldSchema, newSchema);
  }
  for (const [key, after] of now) {
    if (old.has(key)) continue;
    const location = `parameters.${key.replace(':', '.')}`;
    if (after.value.in === 'path') sink.add('new-request-path-parameter', operation, path, location, `added the new path request parameter '${String(after.value.name)}'`);
    else if (after.value.required === true) sink.add('new-required-request-parameter', operation, path, location, `added the new required ${after.label}`);
    else sink.add('new-optional-request-parameter', operation, path, location, `added the new optional ${after.label}`);
  }
}
