import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { z } from 'zod';

/**
 * Query-string parameters arrive as text. These schemas read them strictly, once, for every route:
 * a flag is `true` or `false` and nothing else (a coerced `Boolean('false')` is true), a number is
 * decimal digits and nothing else (a coerced `Number('')` is 0, and `' 1 '`, `1e3`, `0x10` would
 * pass). Each refusal names the parameter, so the 400 says what to fix.
 */
export function queryBoolean(name: string) {
  return z.enum(['true', 'false'], { error: `${name} must be true or false` }).transform((value) => value === 'true');
}

export function queryInteger(name: string, bounds: { min: number; max: number }) {
  return z
    .string({ error: `${name} must be a whole number (digits only)` })
    .regex(/^[0-9]{1,15}$/, { error: `${name} must be a whole number (digits only)` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(bounds.min, { error: `${name} must be at least ${bounds.min}` })
        .max(bounds.max, { error: `${name} must be at most ${bounds.max}` }),
    );
}

/** A filter value: absent means no filter, so an empty one is refused rather than silently ignored. */
export function queryText(name: string) {
  return z.string({ error: `${name} must be given once, as text` }).min(1, { error: `${name} must not be empty` });
}

export const defaultPageSize = 100;
export const maxPageSize = 1000;

/** `limit` for every list endpoint: bounded, so no request can ask for the whole table at once. */
export const pageLimit = queryInteger('limit', { min: 1, max: maxPageSize })
  .optional()
  .describe(`page size, 1 to ${maxPageSize} (default ${defaultPageSize})`);

/**
 * Query objects refuse unknown parameters: a misspelt `?limt=5` or `?forse=true` would otherwise be
 * dropped silently and the request would do something else than asked.
 */
export function queryObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined) });
}

/** Fastify's `schemaErrorFormatter`: one line naming the parameter(s) at fault. */
export function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const where = dataVar === 'querystring' ? 'query' : dataVar;
  const parts = errors.map((e) => {
    const field = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return field === '' || e.message?.includes(field) ? (e.message ?? 'invalid') : `${field}: ${e.message ?? 'invalid'}`;
  });
  return new Error(`invalid ${where}: ${parts.join('; ')}`);
}
