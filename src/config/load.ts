import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UfError, isUfError } from '../core/errors.js';
import { inputLimit, readTextInputSync, type InputLimits } from '../core/input/index.js';
import { formatKeyPath } from '../core/key-path.js';
import { factoryConfigSchema, type FactoryConfig } from './schema.js';
import { locatePath } from './yaml-location.js';

export interface LoadedConfig {
  config: FactoryConfig;
  /** Absolute path of the file, or undefined for built-in defaults. */
  file: string | undefined;
  /** Directory that relative paths in the config are resolved against. */
  baseDir: string;
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
    throw new UfError('config_invalid', `cannot read config file: ${(error as Error).message}`, { file });
  }
  return { config: parseConfig(text, file), file: resolve(file), baseDir: dirname(resolve(file)) };
}

export function defaultConfig(baseDir: string): LoadedConfig {
  return { config: factoryConfigSchema.parse({ version: 1 }), file: undefined, baseDir };
}

export function parseConfig(text: string, file: string): FactoryConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    throw new UfError('config_invalid', `invalid YAML: ${firstLine(yamlError.message)}`, {
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS() ?? {};
  } catch (error) {
    // Unresolvable aliases and alias bombs surface here, not in doc.errors.
    throw new UfError('config_invalid', `invalid YAML: ${firstLine((error as Error).message)}`, { file });
  }
  const result = factoryConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const line = locatePath(doc.contents, issue.path, lineCounter)?.line;
  throw new UfError('config_invalid', describeIssue(issue), { file, line, path: formatKeyPath(issue.path) });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return issue.message;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
