import { isObject, type Json } from './loader.js';
import type { OperationPair } from './operation-scope.js';
import { diffSchema } from './schema-diff.js';

/** 2xx (and `2XX`) are the answers clients are written for; removing one breaks them. */
function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

/**
 * Response statuses removed (breaking for a success status) or added, media types removed
 * (breaking) or added, and each kept media type's schema compared as a response schema.
 */
export function diffResponses(pair: OperationPair): void {
  const { sink, operation, path } = pair;
  const oldResponses = isObject(pair.old.responses) ? pair.old.responses : {};
  const newResponses = isObject(pair.new.responses) ? pair.new.responses : {};
  for (const [status, before] of Object.entries(oldResponses)) {
    const location = `responses.${status}`;
    const after = newResponses[status];
    if (after === undefined) {
      if (isSuccess(status)) sink.add('response-success-status-removed', operation, path, location, `removed the success response with the status '${status}'`);
      else sink.add('response-non-success-status-removed', operation, path, location, `removed the non-success response with the status '${status}'`);
      continue;
    }
    if (isObject(before) && isObject(after)) diffContent(pair, status, before, after);
  }
  for (const status of Object.keys(newResponses)) {
    if (status in oldResponses) continue;
    if (isSuccess(status)) sink.add('response-success-status-added', operation, path, `responses.${status}`, `added the success response with the status '${status}'`);
    else sink.add('response-non-success-status-added', operation, path, `responses.${status}`, `added the non-success response with the status '${status}'`);
  }
}

function diffContent(pair: OperationPair, status: string, before: Json, after: Json): void {
  const { sink, operation, path } = pair;
  const oldContent = isObject(before.content) ? before.content : {};
  const newContent = isObject(after.content) ? after.content : {};
  for (const [mediaType, oldMedia] of Object.entries(oldContent)) {
    const location = `responses.${status}.content.${mediaType}`;
    const newMedia = newContent[mediaType];
    if (newMedia === undefined) {
      sink.add('response-media-type-removed', operation, path, location, `removed the media type '${mediaType}' for the response with the status '${status}'`);
      continue;
    }
    if (isObject(oldMedia) && isObject(newMedia)) {
      diffSchema({ sink, operation, path, direction: 'response', location: `${location}.schema`, oldRefs: pair.oldRefs, newRefs: pair.newRefs }, oldMedia.schema, newMedia.schema);
    }
  }
  for (const mediaType of Object.keys(newContent)) {
    if (!(mediaType in oldContent)) sink.add('response-media-type-added', operation, path, `responses.${status}.content.${mediaType}`, `added the media type '${mediaType}' for the response with the status '${status}'`);
  }
}
