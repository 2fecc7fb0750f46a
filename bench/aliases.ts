/**
 * npm run bench:aliases — a hostile feed: N OSV records (copies of the real Log4Shell record under
 * new GHSA ids) that all name one alias, CVE-2021-44228, against a service running log4j-core 2.14.1.
 * For N = 1,000, 4,000 and 16,000 it prints the full `runIntake` time into SQLite, the time per
 * record, and its growth from one size to the next (near-linear: ratio near 1 per record). The
 * reference is the same N records with a distinct alias each (no group at all), run the same way.
 * Growth is computed on the process's CPU time (user + system), which a busy machine distorts far
 * less than wall time; both are printed.
 * Sizes can be changed: UF_BENCH_ALIAS_SIZES=1000,4000.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { runIntake, type IntakeSummary } from '../src/app/intake.js';
import { openStore } from '../src/store/open.js';
import { importCatalog } from '../src/store/repos/catalog.js';
import { importInventory } from '../src/store/repos/inventory.js';
import { floodId, writeAliasFlood } from '../test/helpers/alias-flood.js';

const sizes = (process.env.UF_BENCH_ALIAS_SIZES ?? '1000,4000,16000').split(',').map(Number);

async function intakeOnce(records: 'shared' | 'distinct', count: number): Promise<{ ms: number; cpuMs: number; summary: IntakeSummary; assessmentBytes: number }> {
  const work = mkdtempSync(join(tmpdir(), 'uf-bench-aliases-'));
  const feed = join(work, 'feed.json');
  writeAliasFlood(feed, count);
  if (records === 'distinct') {
    const list = JSON.parse(readFileSync(feed, 'utf8')) as { aliases: string[] }[];
    list.forEach((r, i) => (r.aliases = [`CVE-2099-${100000 + i}`]));
    writeFileSync(feed, JSON.stringify(list));
  }
  const store = await openStore({ sqlitePath: join(work, 'factory.db') });
  await importCatalog(store, {
    files: ['bench.yaml'],
    entities: [
      {
        ref: 'component:default/api',
        kind: 'Component',
        namespace: 'default',
        name: 'api',
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/bench',
        dependsOn: [],
        providesApis: [],
        consumesApis: [],
        factory: { tier: 'high', criticalPaths: [] },
        annotations: {},
        source: { file: 'bench.yaml', document: 1 },
      },
    ],
    actor: 'bench',
  });
  const log4j = { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', direct: true, scope: 'runtime' as const };
  await importInventory(store, { service: 'api', environment: 'production', file: 'api.json', sha256: 'api', parsed: { format: 'cyclonedx', formatVersion: '1.5', components: [log4j], skipped: [] }, actor: 'bench' });
  const config = parseConfig(`version: 1\nintake:\n  advisories: [feed.json]\n`, join(work, 'factory.yaml'));
  const t = performance.now();
  const cpu = process.cpuUsage();
  const summary = await runIntake(store, { config, file: join(work, 'factory.yaml'), baseDir: work });
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - t;
  const cpuMs = (used.user + used.system) / 1000;
  const row = await store.db.selectFrom('risk_assessments').select('body').executeTakeFirst();
  await store.close();
  rmSync(work, { recursive: true, force: true });
  return { ms, cpuMs, summary, assessmentBytes: row?.body.length ?? 0 };
}

async function main(): Promise<void> {
  console.log(`alias flood: N records sharing CVE-2021-44228 (first id ${floodId(0)}), one service on log4j-core 2.14.1, SQLite`);
  let previous: number | undefined;
  for (const n of sizes) {
    const ours = await intakeOnce('shared', n);
    const reference = await intakeOnce('distinct', n);
    const perRecord = (ours.cpuMs * 1000) / n;
    const growth = previous === undefined ? '' : `, per-record growth x${(perRecord / previous).toFixed(2)} (1.00 = linear)`;
    previous = perRecord;
    console.log(
      `N=${n.toLocaleString('en-US')}: shared alias ${(ours.cpuMs / 1000).toFixed(2)} s CPU, ${(ours.ms / 1000).toFixed(2)} s wall (${perRecord.toFixed(0)} µs CPU/record${growth}); ` +
        `reference, distinct aliases ${(reference.cpuMs / 1000).toFixed(2)} s CPU (${((reference.cpuMs * 1000) / n).toFixed(0)} µs/record); ratio ${(ours.cpuMs / reference.cpuMs).toFixed(2)}x; ` +
        `stored assessment ${(ours.assessmentBytes / 1024).toFixed(0)} KiB; ${ours.summary.problems.length} problems`,
    );
  }
}

await main();
