import { isObject, type Json } from './loader.js';
import type { OperationPair } from './operation-scope.js';
import { diffSchema } from './schema-diff.js';

function contentOf(body: Json | undefined): Json {
  return body && isObject(body.content) ? body.content : {};
}

/**
 * Request bodies added (breaking when required) or removed, made required or optional, media types
 * added or removed (removing one breaks clients that send it), and each kept media type's schema
 * compared as a request schema.
 */
export function diffRequestBody(pair: OperationPair): void {
  const { sink, operation, path } = pair;
  const before = isObject(pair.old.requestBody) ? pair.old.requestBody : undefined;
  const after = isObject(pair.new.requestBody) ? pair.new.requestBody : undefined;
  if (!before && !after) return;
  if (!before) {
    if (after!.required === true) sink.add('added-required-request-body', operation, path, 'requestBody', 'added a required request body');
    else sink.add('added-optional-request-body', operation, path, 'requestBody', 'added an optional request body');
    return;
  }
  if (!after) {
    sink.add('request-body-removed', operation, path, 'requestBody', 'removed the request body');
    return;
  }
  if (before.required !== true && after.required === true) sink.add('request-body-became-required', operation, path, 'requestBody', 'the request body became required');
  if (before.required === true && after.required !== true) sink.add('request-body-became-optional', operation, path, 'requestBody', 'the request body became optional');
  const oldContent = contentOf(before);
  const newContent = contentOf(after);
  for (const [mediaType, oldMedia] of Object.entries(oldContent)) {
    const location = `requestBody.content.${mediaType}`;
    const newMedia = newContent[mediaType];
    if (newMedia === undefined) {
      sink.add('request-body-media-type-removed', operation, path, location, `removed the request media type '${mediaType}'`);
      continue;
    }
    if (isObject(oldMedia) && isObject(newMedia)) {
      diffSchema({ sink, operation, path, direction: 'request', location: `${location}.schema`, oldRefs: pair.oldRefs, newRefs: pair.newRefs }, oldMedia.schema, newMedia.schema);
    }
  }
  for (const mediaType of Object.keys(newContent)) {
    if (!(mediaType in oldContent)) sink.add('request-body-media-type-added', operation, path, `requestBody.content.${mediaType}`, `added the request media type '${mediaType}'`);
  }
}
