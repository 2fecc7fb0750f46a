import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';
import { roles } from '../../core/roles.js';
import { kindUnionError } from '../issues.js';

/**
 * `compat:` in factory.yaml: the compatibility matrix's columns (checks), its declared rows
 * (extensions: plugins, modules, themes, gems) and the manifests rows are discovered from.
 * Services that use the upgraded component are rows without being listed here.
 *
 * Text fields of a check (argv elements, paths, URLs, env values) may hold these placeholders,
 * filled per cell when the matrix is planned; any other `{{name}}` is refused when the config loads:
 *   {{service}}      catalog name of the row's service
 *   {{consumer}}     the row's id (`service`, or `service/extension`)
 *   {{name}}         the row's own name (the extension's name; the service's for a service row)
 *   {{upgrade}}      the upgrade's id
 *   {{component}}    the upgraded package's name
 *   {{fromVersion}}  the version in use (the first, when services use several)
 *   {{toVersion}}    the target version
 */
export const compatPlaceholders = ['service', 'consumer', 'name', 'upgrade', 'component', 'fromVersion', 'toVersion'] as const;
export type CompatPlaceholder = (typeof compatPlaceholders)[number];

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
const known: ReadonlySet<string> = new Set(compatPlaceholders);

/** `template` with each known placeholder replaced; unknown ones were refused at load. */
export function fillCompatPlaceholders(template: string, values: Readonly<Record<CompatPlaceholder, string>>): string {
  return template.replace(placeholderPattern, (whole, name: string) => (known.has(name) ? values[name as CompatPlaceholder] : whole));
}

const text = (what: string) =>
  z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      for (const match of value.matchAll(placeholderPattern)) {
        const name = match[1] ?? '';
        if (!known.has(name)) ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${name}}} in ${what}: expected one of ${compatPlaceholders.map((p) => `{{${p}}}`).join(', ')}` });
      }
    });

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as STAGING_DATABASE_URL');
const checkId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case id such as api-contract');
const serviceName = z.string().min(1);

/** Fields every check has, whatever its kind. */
const common = {
  id: checkId.describe('the column id, unique in the matrix'),
  required: z.boolean().default(true).describe('whether the compat gate waits for this column to pass on every row'),
  tags: z.array(z.enum(['auth', 'payment', 'integration'])).default([]).describe('fail-fast paths: tagged checks run first, and a failure stops the rest'),
  appliesTo: z.enum(['services', 'extensions', 'all']).optional().describe('which rows the check runs on (default: all for constraints, services otherwise)'),
  services: z.array(serviceName).optional().describe('only rows of these services'),
  timeout: durationText.default('5m').describe('limit of one cell; past it the cell is an error'),
};

/** `kind: constraints`: the rows' declared ranges (peer, engines, require, Requires-Dist, Maven ranges) against the target. */
export const constraintsCheckSchema = z
  .object({
    ...common,
    kind: z.literal('constraints'),
    packuments: z.array(text('packuments[]')).default([]).describe('npm registry packument JSON files to read engines and peerDependencies from'),
  })
  .strict();

/** `kind: openapi-diff`: the API contract of the old version against the new; a breaking change fails the cell. */
export const openapiDiffCheckSchema = z
  .object({
    ...common,
    kind: z.literal('openapi-diff'),
    old: text('old').describe('OpenAPI document of the version serving now (file, relative to the config file)'),
    new: text('new').describe('OpenAPI document of the target version'),
    failOn: z.enum(['breaking', 'warning']).default('breaking').describe('the lowest level that fails the cell'),
  })
  .strict();

/** `kind: migration-lint`: the target's PostgreSQL migrations; an error-level finding fails the cell. */
export const migrationLintCheckSchema = z
  .object({
    ...common,
    kind: z.literal('migration-lint'),
    files: z.array(text('files[]')).min(1).describe('migration files, in the order they run'),
    assumeInTransaction: z.boolean().default(false),
  })
  .strict();

/** `kind: schema-drift`: a live PostgreSQL schema against what the migrations produce. */
export const schemaDriftCheckSchema = z
  .object({
    ...common,
    kind: z.literal('schema-drift'),
    databaseUrlEnv: envName.describe('environment variable holding the live database URL (never written here)'),
    schema: z.string().min(1).default('public'),
    files: z.array(text('files[]')).min(1).describe('migration files, in the order they ran'),
    ignoreTables: z.array(z.string().min(1)).optional().describe('tables left out of the comparison (default: migration tools’ bookkeeping tables)'),
  })
  .strict();

/** `kind: command`: an argv array run without a shell; exit 0 passes. */
export const commandCheckSchema = z
  .object({
    ...common,
    kind: z.literal('command'),
    argv: z.array(text('an argv element')).min(1, 'a command needs at least the program: an argv array such as [npm, test]'),
    cwd: text('cwd').optional().describe('working directory, relative to the config file'),
    env: z.record(envName, text('an env value')).default({}).describe('variables set for the command (PATH and HOME are passed through)'),
    passEnv: z.array(envName).default([]).describe('variables passed through from uf’s environment'),
    maxOutput: z.number().int().positive().default(65_536).describe('bytes of stdout and of stderr kept as evidence (the end is kept)'),
    floodLimit: z.number().int().positive().default(64 * 1024 * 1024).describe('bytes of stdout and stderr together past which the command is stopped and its cell is an error'),
  })
  .strict();

/** A k6 threshold expression: `p(95)<200`, `rate<0.01`, `avg<=150`, `count>100`. */
const threshold = z.string().regex(/^\s*(avg|min|max|med|count|rate|p\(\d+(\.\d+)?\))\s*(<=|>=|==|===|!=|<|>)\s*-?\d+(\.\d+)?\s*$/, 'a k6 threshold such as p(95)<200 or rate<0.01');

/** `kind: load-probe`: a constant-rate load against a staging endpoint, judged by k6-style thresholds. */
export const loadProbeCheckSchema = z
  .object({
    ...common,
    kind: z.literal('load-probe'),
    url: text('url'),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), text('a header value')).default({}),
    body: z.string().optional(),
    rate: z.number().positive().max(10_000).describe('requests per second'),
    duration: durationText.describe('how long the load runs'),
    requestTimeout: durationText.default('10s'),
    thresholds: z
      // partialRecord: zod 4's record over an enum wants every key, and a probe judges only the metrics it names.
      .partialRecord(z.enum(['http_req_duration', 'http_req_failed', 'http_reqs', 'checks']), z.array(threshold).min(1))
      .refine((value) => Object.keys(value).length > 0, 'at least one threshold, e.g. http_req_duration: ["p(95)<200"]')
      .describe('k6 metric name -> threshold expressions; every one must hold'),
  })
  .strict();

export const compatCheckSchema = z.discriminatedUnion(
  'kind',
  [constraintsCheckSchema, openapiDiffCheckSchema, migrationLintCheckSchema, schemaDriftCheckSchema, commandCheckSchema, loadProbeCheckSchema],
  { error: kindUnionError('check', ['constraints', 'openapi-diff', 'migration-lint', 'schema-drift', 'command', 'load-probe']) },
);
export type CompatCheckSettings = z.output<typeof compatCheckSchema>;
export type ConstraintsCheckSettings = z.output<typeof constraintsCheckSchema>;
export type OpenapiDiffCheckSettings = z.output<typeof openapiDiffCheckSchema>;
export type MigrationLintCheckSettings = z.output<typeof migrationLintCheckSchema>;
export type SchemaDriftCheckSettings = z.output<typeof schemaDriftCheckSchema>;
export type CommandCheckSettings = z.output<typeof commandCheckSchema>;
export type LoadProbeCheckSettings = z.output<typeof loadProbeCheckSchema>;

export const compatSchema = z
  .object({
    checks: z.array(compatCheckSchema).default([]),
    /** Extensions declared by hand: rows of the matrix with their own manifests. */
    consumers: z
      .array(
        z
          .object({
            service: serviceName.describe('the service the extension belongs to'),
            name: z.string().min(1),
            kind: z.enum(['plugin', 'module', 'theme', 'gem', 'package']).default('plugin'),
            manifests: z.array(z.string().min(1)).min(1).describe('package.json, composer.json, Gemfile.lock, METADATA or pom.xml, relative to the config file'),
          })
          .strict(),
      )
      .default([]),
    /** Each service's manifests and lockfiles: its own constraints, and the extensions discovered in them. */
    manifests: z.array(z.object({ service: serviceName, files: z.array(z.string().min(1)).min(1) }).strict()).default([]),
    /** How long a worker holds a job before another may take it over; renewed while the check runs. */
    leaseTtl: durationText.default('30s'),
    /** Roles that may waive a failed cell (with a reason, logged). */
    waiverRoles: z.array(z.enum(roles)).min(1).default(['approver', 'security', 'admin']),
    /** Attempts per job before its cell is an error. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .strict()
  .superRefine((compat, ctx) => {
    const seen = new Map<string, number>();
    compat.checks.forEach((check, index) => {
      const first = seen.get(check.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['checks', index, 'id'], message: `check id '${check.id}' is already used by checks[${first}]` });
      else seen.set(check.id, index);
    });
  })
  .prefault({});
export type CompatSettings = z.output<typeof compatSchema>;
