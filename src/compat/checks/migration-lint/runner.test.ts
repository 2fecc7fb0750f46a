import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MigrationLintCheckSettings } from '../../../config/sections/compat.js';
import type { CheckRequest } from '../../types.js';
import { checkRunnerContract, contractConsumer } from '../check-runner.contract.js';
import { migrationLintRunner } from './runner.js';

const dir = mkdtempSync(join(tmpdir(), 'uf-migration-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, '001_safe.sql'), "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY users_status ON users (status);\n");
writeFileSync(join(dir, '002_drop.sql'), "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN legacy;\n");
writeFileSync(join(dir, '003_broken.sql'), 'SELECT 1;\nALTER TABLE users ADD COLUM email text;\n');
writeFileSync(join(dir, '004_warning.sql'), "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN visits integer;\n");

function request(files: string[], assumeInTransaction = false): CheckRequest<MigrationLintCheckSettings> {
  const spec = { id: 'migrations', kind: 'migration-lint', files, assumeInTransaction, required: true, tags: [], timeout: '5m' } satisfies MigrationLintCheckSettings;
  return { checkId: spec.id, kind: spec.kind, spec, upgradeId: 'u1', components: [], consumer: contractConsumer(), baseDir: dir, signal: new AbortController().signal };
}

checkRunnerContract('migration-lint', {
  create: () => migrationLintRunner,
  passing: () => request(['001_safe.sql']),
  failing: () => request(['001_safe.sql', '002_drop.sql']),
  broken: () => ({ request: request(['001_safe.sql', '003_broken.sql']), mentions: '003_broken.sql:2' }),
});

describe('migration-lint runner', () => {
  it('fails on an error-level finding, naming the rule and file:line', async () => {
    const outcome = await migrationLintRunner.run(request(['001_safe.sql', '002_drop.sql']));
    expect(outcome.summary).toBe('ban-drop-column at 002_drop.sql:2: 2 file(s), 4 statement(s): 1 error(s), 0 warning(s)');
    expect(outcome.findings?.[0]).toMatchObject({ ruleId: 'ban-drop-column', level: 'error', location: '002_drop.sql:2:1' });
  });

  it('passes with warnings kept as findings', async () => {
    const outcome = await migrationLintRunner.run(request(['004_warning.sql']));
    expect(outcome.status).toBe('pass');
    expect(outcome.findings?.length).toBeGreaterThan(0);
    expect(outcome.findings?.every((f) => f.level === 'warning')).toBe(true);
  });

  it('flags CONCURRENTLY when the tool wraps each file in a transaction', async () => {
    const outcome = await migrationLintRunner.run(request(['001_safe.sql'], true));
    expect(outcome.status).toBe('fail');
    expect(outcome.ruleId).toBe('ban-concurrent-index-creation-in-transaction');
  });

  it('names an unreadable file and invalid SQL with file:line:column', async () => {
    const missing = await migrationLintRunner.run(request(['missing.sql']));
    expect(missing).toMatchObject({ status: 'error', summary: 'missing.sql: cannot read the migration (ENOENT)' });
    const broken = await migrationLintRunner.run(request(['003_broken.sql']));
    expect(broken.summary).toBe('003_broken.sql:2:35: invalid SQL: syntax error at or near "text"');
  });
});
