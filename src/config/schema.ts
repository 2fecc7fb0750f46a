import { z } from 'zod';

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
        /** An upgrade moves one component; a change that bundles more is refused. */
        maxComponentsPerUpgrade: z.number().int().min(1).default(1),
        /** No production canary without a rollback drill for the service within this many days. */
        rollbackDrillMaxAgeDays: z.number().int().min(1).default(30),
      })
      .strict()
      .default({ maxComponentsPerUpgrade: 1, rollbackDrillMaxAgeDays: 30 }),
  })
  .strict();

export type FactoryConfig = z.infer<typeof factoryConfigSchema>;
