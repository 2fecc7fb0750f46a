import { Cron } from 'croner';
import { z } from 'zod';
import { defaultInputLimits, parseByteSize } from '../core/input/index.js';
import { releaseGroupSchema } from './sections/release-groups.js';
import { riskPolicySchema } from './sections/risk-policy.js';
import { deployersSchema } from './sections/deployers.js';
import { rolloutSchema } from './sections/rollout.js';
import { compatSchema } from './sections/compat.js';
import { tokensSchema } from './sections/tokens.js';
import { changesSchema } from './sections/changes.js';
import { auditSchema } from './sections/audit.js';
import { maintenanceSchema, notificationsSchema } from './sections/notifications.js';
import { guardsSchema } from './sections/guards.js';
import { windowsSchema } from './sections/windows.js';
import { incidentsSchema } from './sections/incidents.js';
import { checkTrafficSection, trafficSchema } from './sections/traffic.js';

const inventorySchema = z
  .object({
    service: z.string().min(1).describe('catalog name of the service, e.g. payments'),
    environment: z.string().min(1).describe('environment name from `environments`'),
    file: z.string().min(1).describe('path of a CycloneDX, SPDX or package-lock JSON file'),
  })
  .strict();

const componentRef = {
  ecosystem: z.string().min(1).describe('OSV ecosystem name, e.g. npm, Maven, PyPI'),
  name: z.string().min(1).describe('package name as the ecosystem spells it'),
};

const cronExpression = z.string().refine(
  (expression) => {
    try {
      new Cron(expression, { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a cron expression such as "0 3 * * *" (minute hour day month weekday)' },
);

const intakeSchema = z
  .object({
    /** When `uf serve` runs intake (cron, server's local time zone). */
    schedule: cronExpression.default('0 3 * * *'),
    /** OSV sources: files, folders, all.zip exports, or http(s) URLs (cached with ETag/Last-Modified). */
    advisories: z.array(z.string().min(1)).default([]),
    /** CISA KEV catalog JSON: a file or URL. */
    kev: z.string().min(1).optional(),
    /** FIRST EPSS scores CSV (plain or gzip): a file or URL. */
    epss: z.string().min(1).optional(),
    /** Release notes per component: Keep a Changelog, conventional commits, GitHub releases JSON or npm packument. */
    releaseNotes: z.array(z.object({ ...componentRef, file: z.string().min(1) }).strict()).default([]),
    /** endoflife.date product data (JSON array of cycles) and the component it describes. */
    endOfLife: z.array(z.object({ ...componentRef, product: z.string().min(1), file: z.string().min(1) }).strict()).default([]),
    /** Which version an upgrade targets: the smallest that fixes every advisory, or the newest policy allows. */
    target: z.enum(['minimal-fix', 'newest-allowed']).default('minimal-fix'),
    /** Whether a proposed upgrade may cross a major version. */
    allowMajor: z.boolean().default(false),
    /** Packages released together (monorepos, release trains); added to the built-in presets, and checked first. */
    releaseGroups: z.array(releaseGroupSchema).default([]),
    /** Cache for downloaded sources, relative to the config file. */
    cacheDir: z.string().min(1).default('.uf/cache'),
    /** When a source counts as failed: its stored data is kept and the run reports it (exit 2). */
    sourceHealth: z
      .object({
        /** Failed when more than this share of its entries is invalid. */
        maxInvalidRatio: z.number().min(0).max(1).default(0.1),
        /** Failed when it yields fewer valid entries than this share of the last accepted read. */
        minRetainedRatio: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

/** A size in bytes: a whole number, or text with a unit (`256MiB`, `300 MB`, `1GiB`). */
const sizeMessage = 'a size such as 268435456, 256MiB or 1GiB';
const byteSize = z.preprocess(
  (value) => (typeof value === 'string' ? (parseByteSize(value) ?? value) : value),
  z.number({ error: sizeMessage }).int(sizeMessage).positive(sizeMessage),
);

/** How large each kind of input may be (after decompression); past it a reader refuses the file. */
const limitsSchema = z
  .object({
    catalog: byteSize.default(defaultInputLimits.catalog).describe('one catalog-info.yaml file'),
    inventory: byteSize.default(defaultInputLimits.inventory).describe('one CycloneDX, SPDX or package-lock file'),
    advisory: byteSize.default(defaultInputLimits.advisory).describe('one OSV document: a file, a file in a folder, an all.zip entry, an HTTP body'),
    kev: byteSize.default(defaultInputLimits.kev).describe('the KEV catalog'),
    epss: byteSize.default(defaultInputLimits.epss).describe('the EPSS file, after gunzip'),
    releaseNotes: byteSize.default(defaultInputLimits.releaseNotes).describe('one release-notes file'),
    endOfLife: byteSize.default(defaultInputLimits.endOfLife).describe('one endoflife.date file'),
  })
  .strict()
  .prefault({});

export const factoryConfigSchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1).default('upgrade-factory'),
    store: z
      .object({
        /** SQLite file, relative to the config file. Ignored when UF_DATABASE_URL is set. */
        path: z.string().min(1).default('.uf/factory.db'),
        url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
      })
      .strict()
      .default({ path: '.uf/factory.db' }),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(7070),
        publicUrl: z
          .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://uf.example.com' })
          .optional()
          .describe('the URL others reach this server at, for webhook deployers\' callbacks; http://host:port when absent'),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 7070 }),
    environments: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name like production')).min(1).default(['staging', 'production']),
    catalog: z.array(z.string().min(1)).default([]).describe('Backstage catalog-info.yaml files'),
    inventories: z.array(inventorySchema).default([]),
    policy: z
      .object({
        /** No production canary without a rollback drill for the service within this many days. */
        rollbackDrillMaxAgeDays: z.number().int().min(1).default(30),
      })
      .strict()
      .default({ rollbackDrillMaxAgeDays: 30 }),
    intake: intakeSchema,
    risk: riskPolicySchema,
    traffic: trafficSchema,
    deployers: deployersSchema,
    rollout: rolloutSchema,
    compat: compatSchema,
    tokens: tokensSchema,
    changes: changesSchema,
    audit: auditSchema,
    notifications: notificationsSchema,
    maintenance: maintenanceSchema,
    guards: guardsSchema,
    windows: windowsSchema,
    incidents: incidentsSchema,
    limits: limitsSchema,
  })
  .strict()
  .superRefine((config, ctx) => {
    // Cross-references inside the file; services are checked against the catalog files by the CLI.
    config.inventories.forEach((inventory, index) => {
      if (!config.environments.includes(inventory.environment)) {
        ctx.addIssue({ code: 'custom', path: ['inventories', index, 'environment'], message: `environment '${inventory.environment}' is not listed under environments (${config.environments.join(', ')})` });
      }
    });
    checkTrafficSection(config.traffic, ctx);
  });

export type FactoryConfig = z.infer<typeof factoryConfigSchema>;
