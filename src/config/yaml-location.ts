import { isMap, isNode, isScalar, isSeq, type LineCounter } from 'yaml';

export interface SourcePoint {
  line: number;
  column: number;
}

/**
 * Where the key (or list item) at `path` starts. When the path runs past what the document holds,
 * e.g. a missing required key, this is the deepest ancestor that exists, so the user still lands
 * near the problem.
 */
export function locatePath(root: unknown, path: readonly PropertyKey[], lines: LineCounter): SourcePoint | undefined {
  let node = root;
  let point = startOf(node, lines);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      point = startOf(pair.key, lines) ?? point;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      point = startOf(node, lines) ?? point;
    } else {
      break;
    }
  }
  return point;
}

function startOf(node: unknown, lines: LineCounter): SourcePoint | undefined {
  if (!isNode(node) || !node.range) return undefined;
  const start = node.range[0];
  const { line, col } = lines.linePos(start);
  return { line, column: col };
}
