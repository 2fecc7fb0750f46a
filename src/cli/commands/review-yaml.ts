import { parse } from 'yaml';
import { UfError } from '../../core/errors.js';

/** A YAML (or JSON) mapping given on the command line; `usage` naming the option otherwise. */
export function parseYamlText(text: string, option: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UfError('usage', `${option} is not YAML: ${(error as Error).message.split('\n')[0]}`, { path: option });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UfError('usage', `${option} must be a mapping such as "{id: smoke, kind: command, command: [npm, test]}"`, { path: option });
  return value as Record<string, unknown>;
}
