import { resolve } from 'node:path';
import type { SchemaDriftCheckSettings } from '../../../config/sections/compat.js';
import type { CellFinding, CheckOutcome, CheckRequest, CheckRunner } from '../../types.js';
import { abortedOutcome, capFindings, inputErrorOutcome } from '../outcome.js';
import { detectDrift } from './drift.js';
import type { DriftItem } from './types.js';

/** The check's settings; `ignoreTables` replaces `defaultIgnoredTables` when given (not yet in the config schema). */
export type SchemaDriftSpec = SchemaDriftCheckSettings & { ignoreTables?: string[] };

/** Where the runner reads `databaseUrlEnv` from: the process environment, handed in by whoever builds the registry. */
export interface SchemaDriftRunnerOptions {
  env: Readonly<Record<string, string | undefined>>;
}

export function describeDrift(item: DriftItem): string {
  if (item.expected === null) return `not created by the migrations, found ${item.actual ?? ''}`;
  if (item.actual === null) return `expected ${item.expected}, missing from the live schema`;
  return `expected ${item.expected}, found ${item.actual}`;
}

function toFinding(item: DriftItem, schema: string): CellFinding {
  return { ruleId: item.id, level: 'error', text: describeDrift(item), location: `${schema}.${item.object}` };
}

/**
 * `kind: schema-drift` as a matrix column: the live schema (URL from the variable named by
 * `databaseUrlEnv`) against what the files produce in a scratch schema. No drift passes; drift
 * fails with one finding per item; a missing variable, an unreachable database or a migration
 * that fails is an error naming it.
 */
export function createSchemaDriftRunner(options: SchemaDriftRunnerOptions): CheckRunner<SchemaDriftSpec> {
  return {
    kind: 'schema-drift',
    async run(request: CheckRequest<SchemaDriftSpec>): Promise<CheckOutcome> {
      const { spec, signal } = request;
      if (signal.aborted) return abortedOutcome(signal);
      const url = options.env[spec.databaseUrlEnv];
      if (url === undefined || url === '') return { status: 'error', summary: `environment variable ${spec.databaseUrlEnv} is not set: it should hold the live database URL (databaseUrlEnv)` };
      let report;
      try {
        report = await detectDrift({
          url,
          schema: spec.schema,
          files: spec.files.map((file) => ({ path: resolve(request.baseDir, file), name: file })),
          ...(spec.ignoreTables ? { ignoreTables: spec.ignoreTables } : {}),
          signal,
        });
      } catch (error) {
        if (signal.aborted) return abortedOutcome(signal);
        return inputErrorOutcome(error);
      }
      if (signal.aborted) return abortedOutcome(signal);
      const { findings, cut } = capFindings(report.items.map((item) => toFinding(item, spec.schema)));
      const counted = `${report.files} file(s), ${report.statements} statement(s), ${Object.keys(report.expected.tables).length} table(s) expected`;
      const details = { files: report.files, statements: report.statements, driftItems: report.items.length, ...(cut > 0 ? { findingsCut: cut } : {}) };
      const first = report.items[0];
      if (!first) return { status: 'pass', summary: `schema ${spec.schema} matches its migrations: ${counted}`, details };
      return {
        status: 'fail',
        summary: `${report.items.length} drift item(s) in schema ${spec.schema}, first ${first.id} ${first.object}: ${counted}${cut > 0 ? ` (${cut} finding(s) cut, ${findings.length} kept)` : ''}`,
        ruleId: first.id,
        findings,
        details,
      };
    },
  };
}

