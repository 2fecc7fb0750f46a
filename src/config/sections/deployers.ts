import { kindUnionError } from '../issues.js';
import { z } from 'zod';

/**
 * `deployers:` in factory.yaml: how the new version of a service gets running for a rollout. One
 * entry per service; `kind` picks the deployer (`src/rollout/deployers/registry.ts`), the rest is
 * that kind's settings. They live here, below the stages, so the loader can refuse a bad entry
 * with file, line and key path; the deployers import these schemas, never the reverse.
 *
 * Templates (argv elements, URLs) may hold these placeholders, filled per rollout; any other
 * `{{name}}` is refused when the config loads:
 *   {{service}}      catalog name of the service
 *   {{upgrade}}      the upgrade's id
 *   {{attempt}}      the rollout attempt (1, then 2 after `uf rollout retry`, ...)
 *   {{environment}}  the environment rolled out to (empty when the rollout names none)
 *   {{fromVersion}}  the version stable runs now
 *   {{toVersion}}    the version being rolled out
 *   {{version}}      the version this step runs: toVersion for the canary and promote, fromVersion for the baseline
 *   {{variant}}      `canary`, `baseline` or `stable` (promote)
 */
export const deployPlaceholders = ['service', 'upgrade', 'attempt', 'environment', 'fromVersion', 'toVersion', 'version', 'variant'] as const;
export type DeployPlaceholder = (typeof deployPlaceholders)[number];

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
const knownPlaceholders: ReadonlySet<string> = new Set(deployPlaceholders);

/** The placeholders of `template` that are not in `deployPlaceholders`. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(placeholderPattern)].map((match) => match[1] ?? '').filter((name) => !knownPlaceholders.has(name));
}

/** `template` with each placeholder replaced by its value (only known ones reach here: the schema refused the rest). */
export function fillPlaceholders(template: string, values: Readonly<Record<DeployPlaceholder, string>>): string {
  return template.replace(placeholderPattern, (whole, name: string) => (knownPlaceholders.has(name) ? values[name as DeployPlaceholder] : whole));
}

const template = (what: string) =>
  z
    .string()
    .min(1)
    .superRefine((text, ctx) => {
      for (const name of unknownPlaceholders(text)) {
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${name}}} in ${what}: expected one of ${deployPlaceholders.map((p) => `{{${p}}}`).join(', ')}` });
      }
    });

const sampleValues = Object.fromEntries(deployPlaceholders.map((name) => [name, 'x'])) as Record<DeployPlaceholder, string>;

/** An http(s) URL template: known placeholders only, and a URL once they are filled. */
const urlTemplate = (what: string) =>
  template(what).refine(
    (text) => {
      if (unknownPlaceholders(text).length > 0) return true;
      try {
        return ['http:', 'https:'].includes(new URL(fillPlaceholders(text, sampleValues)).protocol);
      } catch {
        return false;
      }
    },
    { message: `${what} must be an http(s) URL, e.g. http://{{service}}-canary.internal:8080` },
  );

/** A command as an argv array: never a shell string, so a value can never become shell syntax. */
const argv = z.array(template('an argv element')).min(1, 'a command needs at least the program: an argv array such as [kubectl, apply, -f, deploy.yaml]').describe('argv array; placeholders are filled per element');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as CD_TOKEN');
const service = z.string().min(1).describe('catalog name of the service this deployer rolls out');
const positiveMs = z.number().int().positive();

/**
 * The health check a deployed canary or baseline must pass before it takes traffic: HTTP GET of
 * `url` (a template), or of `path` under the URL the deploy reported; passes on a 2xx answer.
 */
export const healthCheckSchema = z
  .object({
    url: urlTemplate('health.url').optional().describe('health URL; placeholders allowed. Default: `path` under the URL the deploy reported'),
    path: z.string().startsWith('/').default('/healthz').describe('path under the deployed URL when no `url` is given'),
    timeoutMs: positiveMs.default(60_000).describe('how long the check may take in all before the deploy fails'),
    intervalMs: positiveMs.default(1_000).describe('pause between two attempts'),
    requestTimeoutMs: positiveMs.default(5_000).describe('limit of one attempt'),
  })
  .strict()
  .prefault({});
export type HealthCheckSettings = z.output<typeof healthCheckSchema>;

/**
 * `kind: command`: runs argv arrays with `shell: false`. Each command must be idempotent (the
 * engine runs it again after a crash): `kubectl apply`, `helm upgrade --install`, not `create`.
 * What it reports is read from its stdout (see `output`).
 */
export const commandDeployerSettingsSchema = z
  .object({
    service,
    deployCanary: argv.describe('starts (or updates) the canary on {{version}}'),
    promote: argv.describe('makes the canary’s version the stable one'),
    removeCanary: argv.describe('removes the canary (rollback and cleanup); must succeed when there is none'),
    deployBaseline: argv.optional().describe('starts a fresh baseline of the old version with the canary’s share'),
    removeBaseline: argv.optional().describe('removes the baseline; required with deployBaseline'),
    timeoutMs: positiveMs.default(300_000).describe('limit of one command; past it its process group is killed'),
    env: z.array(envName).default([]).describe('environment variables passed through from uf’s environment (PATH always is)'),
    cwd: z.string().min(1).optional().describe('working directory, relative to the config file'),
    maxOutputBytes: positiveMs.default(65_536).describe('bytes of stdout and of stderr kept as evidence (the end is kept)'),
    output: z
      .enum(['lines', 'json'])
      .default('lines')
      .describe('how the command reports: `lines` = stdout lines `digest: sha256:<hex>` and `url: <url>`; `json` = its last non-empty stdout line is {"digest": ..., "url": ...}'),
    canaryUrl: urlTemplate('canaryUrl').optional().describe('where the canary answers when the command does not say'),
    baselineUrl: urlTemplate('baselineUrl').optional().describe('where the baseline answers when the command does not say'),
    health: healthCheckSchema,
  })
  .strict()
  .superRefine((settings, ctx) => {
    if ((settings.deployBaseline === undefined) !== (settings.removeBaseline === undefined)) {
      const missing = settings.deployBaseline === undefined ? 'deployBaseline' : 'removeBaseline';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'deployBaseline and removeBaseline come together: a baseline that is started must be removable' });
    }
  });
export type CommandDeployerSettings = z.output<typeof commandDeployerSettingsSchema>;

/**
 * `kind: webhook`: POSTs each operation to an external CD system, then waits for its signed
 * callback (HMAC-SHA256 of the raw body, `X-UF-Signature: sha256=<hex>`). Secrets are named by
 * environment variable, never written here.
 */
export const webhookDeployerSettingsSchema = z
  .object({
    service,
    url: urlTemplate('url').describe('the CD system’s endpoint; each request names its operation'),
    tokenEnv: envName.optional().describe('environment variable holding the bearer token sent as Authorization'),
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), z.string())
      .default({})
      .refine((headers) => !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization'), 'set the Authorization token with tokenEnv, not in factory.yaml')
      .describe('extra request headers (no secrets: use tokenEnv)'),
    secretEnv: envName.describe('environment variable holding the shared secret the callback is signed with'),
    requestTimeoutMs: positiveMs.default(10_000).describe('limit of the POST itself'),
    callbackTimeoutMs: positiveMs.default(900_000).describe('how long to wait for the signed callback'),
    maxCallbackAgeMs: positiveMs.default(300_000).describe('callbacks whose timestamp is older than this are refused as replays'),
    baseline: z.boolean().default(false).describe('whether the CD system can deploy a baseline'),
    health: healthCheckSchema,
  })
  .strict();
export type WebhookDeployerSettings = z.output<typeof webhookDeployerSettingsSchema>;

const sampleBehaviourSchema = z
  .object({
    latencyMs: z.number().min(0).default(0),
    jitterMs: z.number().min(0).default(0),
    errorRate: z.number().min(0).max(1).default(0),
    conversionRate: z.number().min(0).max(1).default(0).describe('share of successful sessions that convert (checkout conversion), 0..1'),
    queueDrainPerSecond: z.number().positive().optional().describe('queue jobs (one per session) worked off per second; absent: no backlog builds up'),
  })
  .strict();

const port = z.number().int().min(1).max(65_535);

/**
 * `kind: sample`: the demo's deployer. It starts the project's sample service on a loopback port
 * as the canary or baseline, in this process; `versions` gives a version its behaviour (a slow,
 * failing or badly converting new version for the demo). `ports` fixes the port of a slot, so a
 * router configured with `canary: http://127.0.0.1:<port>` reaches what the deployer starts; a
 * slot without one gets a free port.
 */
export const sampleDeployerSettingsSchema = z
  .object({
    service,
    host: z.string().min(1).default('127.0.0.1').describe('address the sample services listen on'),
    versions: z.record(z.string().min(1), sampleBehaviourSchema).default({}).describe('behaviour per version: latencyMs, jitterMs, errorRate (0..1), conversionRate (0..1), queueDrainPerSecond'),
    ports: z
      .object({ canary: port.optional(), baseline: port.optional() })
      .strict()
      .default({})
      .refine((ports) => ports.canary === undefined || ports.canary !== ports.baseline, { message: 'the canary and the baseline need different ports' })
      .describe('fixed port of each slot (canary, baseline), for a router that names their addresses; a free port when absent'),
    health: healthCheckSchema,
  })
  .strict();
export type SampleDeployerSettings = z.output<typeof sampleDeployerSettingsSchema>;

const deployerSettingsSchemas = {
  command: commandDeployerSettingsSchema,
  webhook: webhookDeployerSettingsSchema,
  sample: sampleDeployerSettingsSchema,
} as const;

export type DeployerKind = keyof typeof deployerSettingsSchemas;
export const deployerKinds = Object.keys(deployerSettingsSchemas) as DeployerKind[];

/** One entry of `deployers`: `kind` chooses the deployer, and the rest is that kind's settings. */
export const deployerSettingsSchema = z.discriminatedUnion(
  'kind',
  [
    commandDeployerSettingsSchema.safeExtend({ kind: z.literal('command') }),
    webhookDeployerSettingsSchema.extend({ kind: z.literal('webhook') }).strict(),
    sampleDeployerSettingsSchema.extend({ kind: z.literal('sample') }).strict(),
  ],
  { error: kindUnionError('deployer', deployerKinds) },
);
export type DeployerSettings = z.output<typeof deployerSettingsSchema>;

/** `deployers:` in factory.yaml: one deployer per service. */
export const deployersSchema = z
  .array(deployerSettingsSchema)
  .default([])
  .superRefine((deployers, ctx) => {
    const seen = new Map<string, number>();
    deployers.forEach((deployer, index) => {
      const earlier = seen.get(deployer.service.toLowerCase());
      if (earlier === undefined) seen.set(deployer.service.toLowerCase(), index);
      else ctx.addIssue({ code: 'custom', path: [index, 'service'], message: `service '${deployer.service}' already has a deployer: deployers[${earlier}]` });
    });
  })
  .describe('how each service’s new version gets running: kind command, webhook or sample, with that kind’s settings');
export type DeployersConfig = z.output<typeof deployersSchema>;
