/**
 * The Prometheus text exposition format (version 0.0.4), read line by line: `# HELP` / `# TYPE`
 * comments, then `name{label="value",…} value [timestamp]`. Label values unescape `\\`, `\"` and
 * `\n`; values may be `NaN`, `+Inf`, `-Inf`. Anything else is refused with its line number: a
 * page that does not parse is garbage, not a page without the metric.
 */
export interface TextSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export type ParsedExposition = { ok: true; samples: TextSample[] } | { ok: false; reason: string };

const namePattern = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const labelNamePattern = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const valuePattern = /^(?:[+-]?Inf|NaN|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;

/** Parses a whole page; `keep` chooses the metric names whose samples are returned (all when absent). */
export function parseExposition(text: string, keep?: (name: string) => boolean): ParsedExposition {
  const samples: TextSample[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const sample = parseLine(line);
    if (typeof sample === 'string') return { ok: false, reason: `line ${index + 1}: ${sample}` };
    if (keep === undefined || keep(sample.name)) samples.push(sample);
  }
  return { ok: true, samples };
}

/** One sample line, or what is wrong with it. */
function parseLine(line: string): TextSample | string {
  namePattern.lastIndex = 0;
  const name = namePattern.exec(line);
  if (!name) return `expected a metric name at the start of ${JSON.stringify(line.slice(0, 60))}`;
  let at = namePattern.lastIndex;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    for (;;) {
      at = skipSpaces(line, at);
      if (line[at] === '}') break;
      labelNamePattern.lastIndex = at;
      const label = labelNamePattern.exec(line);
      if (!label) return `expected a label name at column ${at + 1}`;
      at = skipSpaces(line, labelNamePattern.lastIndex);
      if (line[at] !== '=' || line[skipSpaces(line, at + 1)] !== '"') return `expected ="value" after label ${label[0]}`;
      at = skipSpaces(line, at + 1) + 1;
      let value = '';
      while (at < line.length && line[at] !== '"') {
        if (line[at] === '\\') {
          const next = line[at + 1];
          value += next === 'n' ? '\n' : (next ?? '');
          at += 2;
        } else {
          value += line[at];
          at += 1;
        }
      }
      if (at >= line.length) return `unterminated value of label ${label[0]}`;
      labels[label[0]] = value;
      at = skipSpaces(line, at + 1);
      if (line[at] === ',') at += 1;
      else if (line[at] !== '}') return `expected "," or "}" at column ${at + 1}`;
    }
    at += 1;
  }
  const rest = line.slice(at).trim().split(/\s+/);
  if (line[at] !== ' ' && line[at] !== '\t') return `expected a space before the value of ${name[0]}`;
  if (rest.length > 2 || rest[0] === undefined || !valuePattern.test(rest[0])) return `expected a value (and an optional timestamp) after ${name[0]}, not ${JSON.stringify(line.slice(at).trim().slice(0, 40))}`;
  if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) return `expected a timestamp in ms after the value of ${name[0]}`;
  const raw = rest[0].replace(/^\+/, '');
  const value = raw === 'Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw === 'NaN' ? NaN : Number(raw);
  return { name: name[0], labels, value };
}

function skipSpaces(line: string, at: number): number {
  while (line[at] === ' ' || line[at] === '\t') at += 1;
  return at;
}
