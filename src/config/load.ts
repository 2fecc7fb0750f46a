import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UfError, isUfError } from '../core/errors.js';
import { inputLimit, readTextInputSync, type InputLimits } from '../core/input/index.js';
import { formatKeyPath } from '../core/key-path.js';
import { configError } from './errors.js';
import { factoryConfigSchema, type FactoryConfig } from './schema.js';
import { locatePath } from './yaml-location.js';

export interface LoadedConfig {
  config: FactoryConfig;
  /** Absolute path of the file, or undefined for built-in defaults. */
  file: string | undefined;
  /** Directory that relative paths in the config are resolved against. */
  baseDir: string;
  /** The line of a key path in the file, for problems found after loading (cross-references). */
  lineOf?: (path: readonly PropertyKey[]) => number | undefined;
}

/**
 * Reads and validates factory.yaml. Every problem names the file, line and key path. The file is
 * bounded by `limits.config` (its own size cannot come from itself: the CLI takes UF_LIMIT_CONFIG).
 */
export function loadConfig(file: string, limits?: Partial<InputLimits>): LoadedConfig {
  let text: string;
  try {
    text = readTextInputSync(file, inputLimit('config', limits));
  } catch (error) {
    if (isUfError(error)) throw error.code === 'parse_error' ? new UfError('config_invalid', error.message, error.location, { cause: error }) : error;
    const reasons: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'it is a directory, not a file', EACCES: 'permission denied', ENOTDIR: 'a part of its path is not a directory' };
    const reason = reasons[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message;
    throw new UfError('config_invalid', `cannot read config file: ${reason}`, { file });
  }
  const parsed = parseConfigDocument(text, file);
  return { config: parsed.config, file: resolve(file), baseDir: dirname(resolve(file)), lineOf: parsed.lineOf };
}

export function defaultConfig(baseDir: string): LoadedConfig {
  return { config: factoryConfigSchema.parse({ version: 1 }), file: undefined, baseDir };
}

export function parseConfig(text: string, file: string): FactoryConfig {
  return parseConfigDocument(text, file).config;
}

function parseConfigDocument(text: string, file: string): { config: FactoryConfig; lineOf: (path: readonly PropertyKey[]) => number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw configError(
      doc.errors.map((yamlError) => {
        const pos = lineCounter.linePos(yamlError.pos[0]);
        return new UfError('config_invalid', `invalid YAML: ${firstLine(yamlError.message)}`, { file, line: pos.line, column: pos.col });
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS() ?? {};
  } catch (error) {
    // Unresolvable aliases and alias bombs surface here, not in doc.errors.
    throw new UfError('config_invalid', `invalid YAML: ${firstLine((error as Error).message)}`, { file });
  }
  const lineOf = (path: readonly PropertyKey[]) => locatePath(doc.contents, path, lineCounter)?.line;
  const result = factoryConfigSchema.safeParse(value);
  if (result.success) return { config: result.data, lineOf };
  throw configError(result.error.issues.flatMap((issue) => issueProblems(issue as z.core.$ZodIssue, doc, lineCounter, file)));
}

/** One problem per issue, and one per unknown key, each at the key's own line. */
function issueProblems(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, file: string): UfError[] {
  const at = (path: readonly PropertyKey[], message: string) =>
    new UfError('config_invalid', message, { file, line: locatePath(doc.contents, path, lines)?.line, path: formatKeyPath([...path]) });
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => at([...issue.path, key], `unknown key '${key}'`));
  return [at(issue.path, issue.message)];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
