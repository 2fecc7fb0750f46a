/**
 * npm run bench:migration-lint — `uf migration lint` on a generated 2,000-statement PostgreSQL
 * migration (an expand/contract history: CREATE TABLE, ADD COLUMN with and without defaults,
 * CREATE INDEX, most CONCURRENTLY, foreign keys and checks added NOT VALID then VALIDATEd, batched
 * UPDATEs, DROP COLUMN, SET lock_timeout, a few BEGIN/COMMIT blocks, comments), printed beside the
 * time merely to parse it with libpg-query (PostgreSQL's own parser, as parse.ts calls it).
 *
 * Timed, medians of --runs runs (default 5, after one warm-up that loads the parser's WASM):
 * (a) libpg-query parse() alone; parseMigration (parse + statement locations); (b) lintMigration,
 * the whole lint in-process; (c) `uf migration lint FILE --json` as its own process (built
 * bin/uf.js, so `npm run build` first). Ratios: lint / parse, command / lint.
 *
 * Flags: --statements N (2000), --runs N (5).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'libpg-query';
import { lintMigration } from '../src/compat/checks/migration-lint/index.js';
import { parseMigration } from '../src/compat/checks/migration-lint/parse.js';

function parseArgs(argv: readonly string[]): { statements: number; runs: number } {
  const options = { statements: 2000, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const text = argv[++i] ?? '';
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number >= 1, not '${text}'`);
    if (flag === '--statements') options.statements = n;
    else if (flag === '--runs') options.runs = n;
    else throw new Error(`unknown flag ${flag}; see the top of bench/migration-lint.ts`);
  }
  return options;
}

/**
 * A migration of exactly `count` statements (comments are not statements). It cycles through the
 * steps of a schema's life on a growing set of tables: the ones created earlier in the file (new,
 * so most rules let them be) and long-lived ones it did not create (users, orders, …).
 */
function generateMigration(count: number): string {
  const existing = ['users', 'orders', 'order_items', 'payments', 'invoices', 'sessions', 'products', 'audit_events'];
  const created: string[] = [];
  const out: string[] = [];
  let statements = 0;
  const emit = (sql: string): void => {
    if (statements < count) out.push(sql);
    statements++;
  };
  for (let step = 0; statements < count; step++) {
    const old = existing[step % existing.length]!;
    const recent = created.length > 0 ? created[(step * 7) % created.length]! : old;
    const col = `c${step}`;
    out.push(`\n-- step ${step}: ${['expand', 'backfill', 'index', 'constrain', 'contract'][step % 5]} (ticket UF-${1000 + step})`);
    switch (step % 12) {
      case 0:
        emit(`SET lock_timeout = '2s';`);
        created.push(`t_${step}`);
        emit(
          `CREATE TABLE t_${step} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  tenant_id bigint NOT NULL,\n  name text NOT NULL,\n  status text NOT NULL DEFAULT 'new',\n  amount numeric(12, 2),\n  payload jsonb NOT NULL DEFAULT '{}'::jsonb,\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
        );
        break;
      case 1:
        emit(`ALTER TABLE ${old} ADD COLUMN ${col} text;`);
        emit(`ALTER TABLE ${recent} ADD COLUMN ${col} integer NOT NULL DEFAULT 0;`);
        break;
      case 2:
        emit(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${old}_${col}_idx ON ${old} (${col});`);
        // Now and then someone forgets CONCURRENTLY on a table that already serves traffic.
        emit(`CREATE INDEX ${step % 36 === 2 ? old : recent}_tenant_${step}_idx ON ${step % 36 === 2 ? old : recent} (tenant_id, created_at DESC);`);
        break;
      case 3:
        emit(`ALTER TABLE ${old} ADD CONSTRAINT ${old}_${col}_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) NOT VALID;`);
        emit(`ALTER TABLE ${old} VALIDATE CONSTRAINT ${old}_${col}_fk;`);
        break;
      case 4:
        for (let batch = 0; batch < 3; batch++) {
          emit(`UPDATE ${old} SET status = 'migrated', updated_at = now() WHERE id >= ${batch * 10_000} AND id < ${(batch + 1) * 10_000} AND status IS NULL;`);
        }
        break;
      case 5:
        emit(`ALTER TABLE ${old} ADD CONSTRAINT ${old}_${col}_positive CHECK (amount >= 0) NOT VALID;`);
        emit(`ALTER TABLE ${old} VALIDATE CONSTRAINT ${old}_${col}_positive;`);
        break;
      case 6:
        emit(`ALTER TABLE ${recent} DROP COLUMN IF EXISTS legacy_${step};`);
        break;
      case 7:
        emit('BEGIN;');
        emit(`ALTER TABLE ${old} ADD COLUMN flag_${step} boolean;`);
        emit(`COMMENT ON COLUMN ${old}.flag_${step} IS 'feature flag for step ${step}';`);
        emit('COMMIT;');
        break;
      case 8:
        emit(`CREATE UNIQUE INDEX CONCURRENTLY ${old}_${col}_uniq ON ${old} (tenant_id, ${col}) WHERE ${col} IS NOT NULL;`);
        break;
      case 9:
        emit(`ALTER TABLE ${old} ALTER COLUMN ${col} SET NOT NULL;`);
        break;
      case 10:
        emit(`ALTER TABLE ${old} DROP COLUMN IF EXISTS old_${step};`);
        break;
      case 11:
        emit(`INSERT INTO schema_notes (step, note) VALUES (${step}, 'applied ''${old}'' change');`);
        break;
    }
  }
  return `-- generated by bench/migration-lint.ts: ${count} statements\n${out.join('\n')}\n`;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (millis: number): string => `${millis.toFixed(1)} ms`;
const ratio = (ours: number, reference: number): string => `${(ours / reference).toFixed(2)}x`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const ufBin = fileURLToPath(new URL('../bin/uf.js', import.meta.url));
  if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)))) {
    console.error('bench:migration-lint runs the built CLI (bin/uf.js → dist/): run `npm run build` first');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'uf-bench-migration-lint-'));
  try {
    const sql = generateMigration(options.statements);
    const file = join(dir, 'V2000__history.sql');
    writeFileSync(file, sql);
    // Warm-up: loads libpg-query's WASM module, which every later call reuses.
    const warm = await lintMigration(sql, file);
    if (warm.statements !== options.statements) throw new Error(`generated ${warm.statements} statements, expected ${options.statements}`);
    const times = { parse: [] as number[], locate: [] as number[], lint: [] as number[], command: [] as number[] };
    let commandFindings = -1;
    for (let run = 0; run < options.runs; run++) {
      let t = performance.now();
      await parse(sql);
      times.parse.push(performance.now() - t);
      t = performance.now();
      await parseMigration(sql, file);
      times.locate.push(performance.now() - t);
      t = performance.now();
      await lintMigration(sql, file);
      times.lint.push(performance.now() - t);
      t = performance.now();
      const result = spawnSync(process.execPath, [ufBin, 'migration', 'lint', file, '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
      times.command.push(performance.now() - t);
      if (result.status !== 0 && result.status !== 1) throw new Error(`uf migration lint exited ${result.status}: ${result.stderr.toString()}`);
      commandFindings = (JSON.parse(result.stdout.toString()) as { files: { findings: unknown[] }[] }).files[0]!.findings.length;
    }
    const byRule = new Map<string, number>();
    for (const finding of warm.findings) byRule.set(`${finding.level} ${finding.id}`, (byRule.get(`${finding.level} ${finding.id}`) ?? 0) + 1);
    const parseMs = median(times.parse);
    const lintMs = median(times.lint);
    const commandMs = median(times.command);
    console.log(`migration of ${options.statements} statements (${(Buffer.byteLength(sql) / 1024).toFixed(0)} KiB, ${sql.split('\n').length} lines); median of ${options.runs} runs`);
    console.log(`findings: ${warm.findings.length} in-process, ${commandFindings} from the command (${[...byRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${n} ${rule}`).join(', ')})`);
    console.log(`(a) libpg-query parse() alone             ${ms(parseMs)}   reference`);
    console.log(`    parseMigration (parse + locations)     ${ms(median(times.locate))}   ${ratio(median(times.locate), parseMs)} of parse`);
    const locateMs = median(times.locate);
    console.log(`      of which statement locations          ${ms(locateMs - parseMs)}   (parseMigration − parse)`);
    console.log(`(b) lintMigration (whole lint, in-process) ${ms(lintMs)}   ${ratio(lintMs, parseMs)} of parse`);
    console.log(`      of which the rules                    ${ms(lintMs - locateMs)}   (lintMigration − parseMigration)`);
    console.log(`(c) uf migration lint --json (process)    ${ms(commandMs)}   ${ratio(commandMs, lintMs)} of the in-process lint`);
    console.log(`per statement: parse ${((parseMs * 1000) / options.statements).toFixed(1)} µs, lint ${((lintMs * 1000) / options.statements).toFixed(1)} µs`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
