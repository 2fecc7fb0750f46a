import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/store/repos/operation-log.js';
import { openStore } from '../src/store/open.js';
import { runUf } from './helpers/cli.js';

const services = ['alpha', 'beta', 'gamma'];

/** A CycloneDX document with `count` distinct npm components: large enough that one import takes seconds. */
function largeBom(service: string, count: number): string {
  const components = Array.from({ length: count }, (_, i) => {
    const name = `${service}-pkg-${i}`;
    const purl = `pkg:npm/${name}@1.${i % 50}.${i % 7}`;
    return { 'bom-ref': purl, type: 'library', name, version: `1.${i % 50}.${i % 7}`, purl };
  });
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { component: { 'bom-ref': 'root', type: 'application', name: service } }, components });
}

describe('concurrent inventory imports on one SQLite store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-import-'));
    writeFileSync(
      join(dir, 'catalog.yaml'),
      services.map((s) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${s} }\nspec: { type: service, lifecycle: production, owner: group:x }\n`).join('---\n'),
    );
    for (const s of services) writeFileSync(join(dir, `${s}.cdx.json`), largeBom(s, 40_000));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\n');
    expect((await runUf(['catalog', 'import', 'catalog.yaml'], { cwd: dir })).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lets every import finish: writers wait for the write lock instead of dying on "database is locked"', { timeout: 300_000 }, async () => {
    const results = await Promise.all(
      services.map((s) => runUf(['inventory', 'import', `${s}.cdx.json`, '--service', s, '--environment', 'production', '--json'], { cwd: dir })),
    );
    for (const r of results) {
      expect(r.stderr).not.toMatch(/database is locked|\n\s+at /);
      expect(r.code).toBe(0);
    }
    const store = await openStore({ sqlitePath: join(dir, '.uf', 'factory.db') });
    try {
      const counts = await store.db.selectFrom('inventory_components').select(['service']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('service').orderBy('service').execute();
      expect(counts.map((c) => [c.service, Number(c.n)])).toEqual(services.map((s) => [s, 40_000]));
      expect((await verifyLog(store.db)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
