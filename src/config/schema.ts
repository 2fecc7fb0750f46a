import { Cron } from 'croner';
import { z } from 'zod';
import { releaseGroupSchema } from '../intake/pipeline/release-group-schema.js';
import { riskPolicySchema } from '../risk/policy.js';

/** Roles a token or a person can hold. Later stages check them at their gates. */
export const roles = ['viewer', 'operator', 'service-owner', 'approver', 'security', 'admin'] as const;
export type Role = (typeof roles)[number];

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
  })
  .strict()
  .prefault({});

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'HOST:PORT, e.g. 127.0.0.1:8080');

/** Built-in routers that `uf serve` runs in-process, one per service (the same as `uf proxy`). */
const proxySchema = z
  .object({
    service: z.string().min(1).describe('catalog name of the service behind it'),
    listen: hostPort,
    stable: z.url().describe('stable upstream URL'),
    canary: z.url().describe('canary upstream URL'),
    canaryWeight: z.number().int().min(0).max(100).default(0),
    sticky: z.string().regex(/^(header:[^\s]+|cookie:[^\s]+|ip)$/, 'header:NAME, cookie:NAME or ip').optional(),
    admin: hostPort.optional().describe('admin API address (token from UF_ADMIN_TOKEN)'),
  })
  .strict();

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
    traffic: z.object({ proxies: z.array(proxySchema).default([]) }).strict().prefault({}),
  })
  .strict();

export type FactoryConfig = z.infer<typeof factoryConfigSchema>;
