import type { InputLocation } from '../../core/errors.js';
import { formatKeyPath } from '../../core/key-path.js';
import { lineColumnAt, scanJson, stripBom, type JsonPath } from '../../core/json-text.js';

/**
 * A location inside a JSON document: the key path as text and, when the text is at hand, the
 * line and column of the deepest value on that path that exists.
 */
export function jsonLocation(file: string, record: string | undefined, path: JsonPath, text?: string): InputLocation {
  const location: InputLocation = { file };
  if (record !== undefined) location.record = record;
  if (path.length > 0) location.path = formatKeyPath(path);
  if (text !== undefined) {
    const source = stripBom(text);
    const offset = scanJson(source, path).pathOffset;
    if (offset !== undefined) Object.assign(location, lineColumnAt(source, offset));
  }
  return location;
}

/**
 * Finding a line costs a scan of the text, so a document with many bad records would cost time
 * proportional to their number times the text's length. The first `limit` problems get a line and
 * column; later ones are named by record and path alone.
 */
export function jsonLocator(
  file: string,
  text: string | undefined,
  limit = 100,
): (record: string | undefined, path: JsonPath) => InputLocation {
  let located = 0;
  return (record, path) => {
    located += 1;
    return jsonLocation(file, record, path, located <= limit ? text : undefined);
  };
}
