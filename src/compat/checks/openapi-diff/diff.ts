import { ChangeSink, type ApiChange, type ChangeLevel } from './change.js';
import { httpMethods, isObject, type Json, type LoadedSpec } from './loader.js';
import { removalVerdict, type OperationPair } from './operation-scope.js';
import { diffParameters } from './parameters.js';
import { diffRequestBody } from './request-body.js';
import { diffResponses } from './responses.js';
import { diffSecurity } from './security.js';

export interface DiffOptions {
  /** Today, `YYYY-MM-DD` (from the Clock): sunset dates are compared with it. */
  today: string;
}

/** `/users/{id}` and `/users/{userId}` are the same path to a client. */
function pathKey(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

function pathsOf(spec: LoadedSpec): Map<string, { path: string; item: Json }> {
  const paths = isObject(spec.doc.paths) ? spec.doc.paths : {};
  return new Map(Object.entries(paths).filter(([, item]) => isObject(item)).map(([path, item]) => [pathKey(path), { path, item: item as Json }]));
}

function operationsOf(item: Json): [string, Json][] {
  return httpMethods.filter((method) => isObject(item[method])).map((method) => [method, item[method] as Json]);
}

/**
 * Compares two resolved OpenAPI documents into changes, in oasdiff's terms: paths and operations
 * removed (per deprecation and sunset) or added, then, per operation in both, security,
 * parameters, request body and responses. Sorted by path, method, then id, so output is stable.
 */
export function diffOpenApi(oldSpec: LoadedSpec, newSpec: LoadedSpec, options: DiffOptions): ApiChange[] {
  const sink = new ChangeSink();
  diffSecurity(sink, oldSpec.doc.security, newSpec.doc.security, { operation: '', path: '', global: true });
  const oldPaths = pathsOf(oldSpec);
  const newPaths = pathsOf(newSpec);
  for (const [key, { path, item: oldItem }] of oldPaths) {
    const kept = newPaths.get(key);
    for (const [method, oldOperation] of operationsOf(oldItem)) {
      const operation = method.toUpperCase();
      const newOperation = kept && isObject(kept.item[method]) ? (kept.item[method] as Json) : undefined;
      if (!newOperation) {
        reportRemoval(sink, oldOperation, operation, path, kept === undefined, options.today);
        continue;
      }
      if (oldOperation.deprecated !== true && newOperation.deprecated === true) sink.add('endpoint-deprecated', operation, path, 'deprecated', 'the operation was deprecated');
      const pair: OperationPair = { sink, operation, path, old: oldOperation, new: newOperation, oldPathItem: oldItem, newPathItem: kept!.item, oldRefs: oldSpec.refs, newRefs: newSpec.refs, today: options.today };
      if (oldOperation.security !== undefined || newOperation.security !== undefined) diffSecurity(sink, oldOperation.security, newOperation.security, { operation, path, global: false });
      diffParameters(pair);
      diffRequestBody(pair);
      diffResponses(pair);
    }
  }
  for (const [key, { path, item }] of newPaths) {
    const old = oldPaths.get(key);
    for (const [method] of operationsOf(item)) {
      if (!old || !isObject(old.item[method])) sink.add('endpoint-added', method.toUpperCase(), path, '', 'the operation was added');
    }
  }
  return sink.changes.sort(byPlace);
}

function reportRemoval(sink: ChangeSink, item: Json, operation: string, path: string, wholePath: boolean, today: string): void {
  const verdict = removalVerdict(item, today);
  const sunset = String(item['x-sunset'] instanceof Date ? item['x-sunset'].toISOString().slice(0, 10) : item['x-sunset']);
  if (verdict === 'without-deprecation') sink.add(wholePath ? 'api-path-removed-without-deprecation' : 'api-removed-without-deprecation', operation, path, '', wholePath ? 'the path was removed without deprecation' : 'the operation was removed without deprecation');
  else if (verdict === 'before-sunset') sink.add(wholePath ? 'api-path-removed-before-sunset' : 'api-removed-before-sunset', operation, path, '', `removed before the sunset date '${sunset}'`);
  else if (verdict === 'sunset-parse') sink.add(wholePath ? 'api-path-sunset-parse' : 'api-sunset-parse', operation, path, 'x-sunset', `removed, and its sunset date '${sunset}' is not a YYYY-MM-DD date`);
  else sink.add(wholePath ? 'api-path-removed-with-deprecation' : 'api-removed-with-deprecation', operation, path, '', 'removed after deprecation');
}

function byPlace(a: ApiChange, b: ApiChange): number {
  return compare(a.path, b.path) || compare(a.operation, b.operation) || compare(a.location, b.location) || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const levelOrder: Record<ChangeLevel, number> = { breaking: 0, warning: 1, info: 2 };

/** How many changes of each level, and whether any breaks clients (the CLI's exit 1). */
export function summarize(changes: readonly ApiChange[]): { breaking: number; warning: number; info: number } {
  const counts = { breaking: 0, warning: 0, info: 0 };
  for (const change of changes) counts[change.level]++;
  return counts;
}

/** Changes at or above a level (`warning` keeps breaking and warning). */
export function atLeast(changes: readonly ApiChange[], level: ChangeLevel): ApiChange[] {
  return changes.filter((change) => levelOrder[change.level] <= levelOrder[level]);
}
