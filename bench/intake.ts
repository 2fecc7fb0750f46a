/**
 * npm run bench:intake — an estate of 1,000 services x 1,000 components against at least 20,000
 * OSV records, built by varying the 41 real advisories shipped in demo-data/advisories (new ids,
 * aliases and package names; the real ranges and severities). Prints, in one run:
 *  - reference: reading every record file and JSON.parse on it;
 *  - ours, in memory: read + validate + index the records, then match 1,000,000 components;
 *  - ours, full `runIntake` into SQLite (advisories stored, findings, risk-scored upgrades);
 *  - an unchanged re-run (the fingerprint check).
 * Sizes can be lowered for a quick look: UF_BENCH_SERVICES, UF_BENCH_COMPONENTS, UF_BENCH_RECORDS.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import type { InventoryComponent } from '../src/core/inventory.js';
import { isAffected } from '../src/intake/matching/affected.js';
import { buildAdvisoryIndex } from '../src/intake/matching/index-advisories.js';
import { matchComponents } from '../src/intake/matching/match.js';
import { parseOsvRecord } from '../src/intake/osv/index.js';
import type { Advisory } from '../src/intake/osv/types.js';
import { runIntake } from '../src/app/intake.js';
import { versionSchemeFor } from '../src/ecosystems/index.js';
import { openStore } from '../src/store/open.js';
import { importCatalog } from '../src/store/repos/catalog.js';
import { importInventory } from '../src/store/repos/inventory.js';

const services = Number(process.env.UF_BENCH_SERVICES ?? 1000);
const perService = Number(process.env.UF_BENCH_COMPONENTS ?? 1000);
const records = Number(process.env.UF_BENCH_RECORDS ?? 20_500);
const hotPackages = 200;
const alphabet = '23456789cfghjmpqrvwx';

function ghsaId(n: number): string {
  let s = '';
  for (let i = 0; i < 12; i++) {
    s += alphabet[n % 20];
    n = Math.floor(n / 20);
  }
  return `GHSA-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

const purlType: Record<string, string> = { npm: 'npm', PyPI: 'pypi', Maven: 'maven', Go: 'golang', 'crates.io': 'cargo', RubyGems: 'gem', NuGet: 'nuget' };
const probeVersions = ['0.0.1', '0.1.0', '0.9.0', '1.0.0', '1.2.3', '2.0.0', '2.9.10', '2.14.1', '3.0.0', '4.17.15', '5.0.0', '6.0.0', '10.0.0', '99.0.0'];

interface Variant {
  ecosystem: string;
  name: string;
  affected: string;
  clean: string;
}

function main(): Promise<void> {
  return run();
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'uf-bench-intake-'));
  const templates = readdirSync(resolve('demo-data/advisories'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(resolve('demo-data/advisories', f), 'utf8')) as Record<string, unknown>);

  // 1. The corpus: each record a real advisory under a new id, new aliases and renamed packages.
  const corpus = join(work, 'osv');
  mkdirSync(corpus);
  const variants: Variant[] = [];
  let bytes = 0;
  for (let i = 0; i < records; i++) {
    const template = templates[i % templates.length]!;
    const k = Math.floor(i / templates.length);
    const rename = (name: string, ecosystem: string) => (ecosystem === 'Maven' ? `${name}-v${k}` : `${name}-v${k}`);
    const affected = (template.affected as { package: { ecosystem: string; name: string; purl?: string } }[]).map((a) => ({
      ...a,
      package: { ecosystem: a.package.ecosystem, name: rename(a.package.name, a.package.ecosystem) },
    }));
    const record = { ...template, id: ghsaId(i + 1), aliases: [`CVE-2099-${100000 + i}`], affected };
    const text = JSON.stringify(record, null, 2);
    bytes += text.length;
    writeFileSync(join(corpus, `${record.id}.json`), text);
    if (i < hotPackages) {
      const parsed = parseOsvRecord(record, { file: 'gen' });
      const first = parsed.affected[0]!;
      const scheme = versionSchemeFor(first.package!.ecosystem);
      if (!scheme) continue;
      const events = first.ranges.flatMap((r) => r.events.map((e) => Object.values(e)[0] as string));
      const probes = [...events, ...probeVersions].filter((v) => v !== '0' && scheme.isValid(v));
      const schemes = { ecosystem: scheme, semver: versionSchemeFor('npm')! };
      const hit = probes.find((v) => isAffected(v, first, schemes));
      const miss = probes.find((v) => !isAffected(v, first, schemes));
      if (hit && miss) variants.push({ ecosystem: first.package!.ecosystem, name: first.package!.name, affected: hit, clean: miss });
    }
  }

  // 2. The estate: 1,000 services; 1% of their components are hot packages in an affected version.
  const pool: Variant[] = [];
  for (let p = 0; p < 20_000; p++) pool.push({ ecosystem: 'npm', name: `internal-lib-${p}`, affected: '', clean: `1.${p % 50}.0` });
  const component = (v: Variant, version: string): InventoryComponent => {
    const type = purlType[v.ecosystem] ?? v.ecosystem.toLowerCase();
    const path = v.ecosystem === 'Maven' ? v.name.replace(':', '/') : v.name;
    return { purl: `pkg:${type}/${path}@${version}`, ecosystem: v.ecosystem, name: v.name, version, direct: true, scope: 'runtime' };
  };
  const estate: { service: string; components: InventoryComponent[] }[] = [];
  for (let s = 0; s < services; s++) {
    const components: InventoryComponent[] = [];
    for (let c = 0; c < perService; c++) {
      if (c % 100 === 0 && variants.length > 0) {
        const v = variants[(s + c) % variants.length]!;
        components.push(component(v, s % 3 === 0 ? v.clean : v.affected));
      } else {
        const v = pool[(s * 7919 + c * 104_729) % pool.length]!;
        components.push(component(v, v.clean));
      }
    }
    estate.push({ service: `svc-${s}`, components: dedupe(components) });
  }
  const totalComponents = estate.reduce((n, s) => n + s.components.length, 0);
  console.log(`corpus: ${records.toLocaleString('en-US')} OSV records (${(bytes / 1e6).toFixed(1)} MB) varied from ${templates.length} real ones`);
  console.log(`estate: ${services} services, ${totalComponents.toLocaleString('en-US')} components (${variants.length} vulnerable hot packages)`);

  // 3. Reference: read and JSON.parse every record.
  const files = readdirSync(corpus).map((f) => join(corpus, f));
  let t = performance.now();
  let parsedCount = 0;
  for (const f of files) {
    JSON.parse(readFileSync(f, 'utf8'));
    parsedCount++;
  }
  const parseMs = performance.now() - t;

  // 4. Ours in memory: read + validate + normalise + hash, index, and match every component.
  t = performance.now();
  const advisories: Advisory[] = files.map((f) => parseOsvRecord(JSON.parse(readFileSync(f, 'utf8')), { file: f }));
  const index = buildAdvisoryIndex(advisories);
  const loadMs = performance.now() - t;
  t = performance.now();
  const report = matchComponents(index, estate.flatMap((s) => s.components));
  const matchMs = performance.now() - t;

  console.log(`\nreference  read + JSON.parse of ${parsedCount.toLocaleString('en-US')} records: ${(parseMs / 1000).toFixed(2)} s`);
  console.log(`ours       read + validate + index: ${(loadMs / 1000).toFixed(2)} s; match ${totalComponents.toLocaleString('en-US')} components: ${(matchMs / 1000).toFixed(2)} s (${report.matches.length.toLocaleString('en-US')} matches)`);
  console.log(`           load and match / parse = ${((loadMs + matchMs) / parseMs).toFixed(2)}x (aim: within 2x)`);

  // 5. The full pipeline into SQLite.
  const store = await openStore({ sqlitePath: join(work, 'factory.db') });
  t = performance.now();
  await importCatalog(store, {
    files: ['bench.yaml'],
    entities: estate.map((s, i) => ({
      ref: `component:default/${s.service}`,
      kind: 'Component' as const,
      namespace: 'default',
      name: s.service,
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/bench',
      dependsOn: i > 0 ? [`component:default/svc-${Math.floor(i / 2)}`] : [],
      providesApis: [],
      consumesApis: [],
      factory: { tier: (['critical', 'high', 'medium', 'low'] as const)[i % 4], criticalPaths: [] },
      annotations: {},
      source: { file: 'bench.yaml', document: i + 1 },
    })),
    actor: 'bench',
  });
  for (const s of estate) {
    await importInventory(store, { service: s.service, environment: 'production', file: `${s.service}.json`, sha256: s.service, parsed: { format: 'cyclonedx', formatVersion: '1.5', components: s.components, skipped: [] }, actor: 'bench' });
  }
  const setupMs = performance.now() - t;
  const config = parseConfig(`version: 1\nintake:\n  advisories: [${corpus}]\n`, join(work, 'factory.yaml'));
  const loaded = { config, file: join(work, 'factory.yaml'), baseDir: work };
  t = performance.now();
  const phases: [string, number][] = [];
  const first = await runIntake(store, loaded, {
    onProgress: (label) => {
      const phase = label.startsWith('advisories') ? 'read advisories' : label;
      if (phases.at(-1)?.[0] !== phase) phases.push([phase, performance.now()]);
    },
  });
  const fullMs = performance.now() - t;
  const runStart = t;
  t = performance.now();
  const again = await runIntake(store, loaded);
  const rerunMs = performance.now() - t;
  await store.close();

  console.log(`\nsetup      store ${totalComponents.toLocaleString('en-US')} inventory rows: ${(setupMs / 1000).toFixed(1)} s (not part of intake)`);
  console.log(
    `full run   runIntake into SQLite: ${(fullMs / 1000).toFixed(2)} s — ${first.advisories.new.toLocaleString('en-US')} advisories stored, ${first.findings.open.toLocaleString('en-US')} findings, ${first.upgrades.created.length} upgrades risk-scored and triaged`,
  );
  console.log(`           full run / parse = ${(fullMs / parseMs).toFixed(2)}x`);
  console.log(
    `           phases (start times): ${phases.map(([name, at]) => `${name} ${((at - runStart) / 1000).toFixed(2)} s`).join(', ')}; end ${(fullMs / 1000).toFixed(2)} s`,
  );
  console.log(`re-run     unchanged input: ${(rerunMs / 1000).toFixed(2)} s (${again.status}; aim: under 1 s)`);
  rmSync(work, { recursive: true, force: true });
}

function dedupe(components: InventoryComponent[]): InventoryComponent[] {
  return [...new Map(components.map((c) => [c.purl, c])).values()];
}

await main();
