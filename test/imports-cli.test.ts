/**
 * Imports that would wipe what they replace (an empty, truncated or wrong file) are refused unless
 * the user says --allow-removals; inputs past their size limit are refused quickly, naming the
 * setting that raises it. Through the built `uf` binary, as a user meets it.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

const component = (name: string): string =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec: { type: service, lifecycle: production, owner: group:team }\n`;
const catalogOf = (...names: string[]): string => names.map(component).join('---\n');

const inventoryOf = (...packages: string[]): string =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'svc' } },
    components: packages.map((name) => ({ 'bom-ref': name, type: 'library', name, version: '1.0.0', purl: `pkg:npm/${name}@1.0.0` })),
  });

describe('imports that would remove most of what they replace', { timeout: 240_000 }, () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  const entityNames = async (): Promise<string[]> => (JSON.parse((await uf('catalog', 'list', '--json')).stdout) as { name: string }[]).map((e) => e.name);
  const componentNames = async (): Promise<string[]> =>
    (JSON.parse((await uf('inventory', 'list', '--service', 'payments', '--environment', 'production', '--json')).stdout) as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-imports-'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an empty or truncated catalog file, stores nothing, and takes it with --allow-removals', async () => {
    const file = join(dir, 'catalog-info.yaml');
    writeFileSync(file, catalogOf('payments', 'orders', 'search', 'web'));
    expect((await uf('catalog', 'import', file)).code).toBe(0);

    writeFileSync(file, '');
    const empty = await uf('catalog', 'import', file);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(`${file}: would remove 4 of 4 entities (the file yielded 0); nothing was changed: pass --allow-removals if intended`);
    expect(await entityNames()).toEqual(['orders', 'payments', 'search', 'web']);

    writeFileSync(file, catalogOf('payments'));
    const truncated = await uf('catalog', 'import', file);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain('would remove 3 of 4 entities (the file yielded 1)');
    expect(await entityNames()).toEqual(['orders', 'payments', 'search', 'web']);

    // Half of them is an ordinary change: taken without the flag.
    writeFileSync(file, catalogOf('payments', 'orders', 'billing'));
    const half = await uf('catalog', 'import', file);
    expect(half.code).toBe(0);
    expect(half.stdout).toContain('3 entities (1 added, 0 updated, 2 removed)');

    writeFileSync(file, '');
    const allowed = await uf('catalog', 'import', file, '--allow-removals');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('0 entities (0 added, 0 updated, 3 removed)');
    expect(await entityNames()).toEqual([]);
  });

  it('tells an inventory for a service missing from the catalog to import the catalog first', async () => {
    writeFileSync(join(dir, 'payments.cdx.json'), inventoryOf('lodash'));
    const refused = await uf('inventory', 'import', 'payments.cdx.json', '--service', 'payments', '--environment', 'production');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "service 'payments' is not in the catalog (the catalog holds no services); import the catalog-info.yaml that defines it first (uf catalog import)",
    );
  });

  it('refuses an inventory that would drop most of a service\'s components, unless --allow-removals', async () => {
    writeFileSync(join(dir, 'catalog-info.yaml'), catalogOf('payments'));
    expect((await uf('catalog', 'import', 'catalog-info.yaml')).code).toBe(0);
    const file = join(dir, 'payments.cdx.json');
    writeFileSync(file, inventoryOf('lodash', 'express', 'qs', 'debug'));
    const args = ['inventory', 'import', file, '--service', 'payments', '--environment', 'production'];
    expect((await uf(...args)).code).toBe(0);

    writeFileSync(file, inventoryOf());
    const empty = await uf(...args);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(`${file}: would remove 4 of 4 components (the file yielded 0); nothing was changed: pass --allow-removals if intended`);
    expect(await componentNames()).toEqual(['debug', 'express', 'lodash', 'qs']);

    writeFileSync(file, inventoryOf('lodash'));
    const wrong = await uf(...args, '--json');
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout)[0].errors[0]).toMatchObject({ code: 'import_invalid', message: expect.stringContaining('would remove 3 of 4 components (the file yielded 1)') });
    expect(await componentNames()).toEqual(['debug', 'express', 'lodash', 'qs']);

    const allowed = await uf(...args, '--allow-removals');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('payments/production: 1 components (0 added, 3 removed');
    expect(await componentNames()).toEqual(['lodash']);
  });
});

describe('moving entities between catalog files', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-imports-move-'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is not a removal when the entities land in another file of the same import', async () => {
    const uf = (...args: string[]) => runUf(args, { cwd: dir });
    writeFileSync(join(dir, 'a.yaml'), catalogOf('search', 'web'));
    writeFileSync(join(dir, 'b.yaml'), catalogOf('orders'));
    expect((await uf('catalog', 'import', 'a.yaml', 'b.yaml')).code).toBe(0);
    writeFileSync(join(dir, 'a.yaml'), '');
    writeFileSync(join(dir, 'b.yaml'), catalogOf('orders', 'search', 'web'));
    const moved = await uf('catalog', 'import', 'a.yaml', 'b.yaml');
    expect(moved.stderr).not.toContain('would remove');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('a.yaml: 0 entities (0 added, 0 updated, 2 removed)');
    expect(moved.stdout).toContain('b.yaml: 3 entities (2 added, 0 updated, 0 removed)');
    const names = (JSON.parse((await uf('catalog', 'list', '--json')).stdout) as { name: string }[]).map((e) => e.name);
    expect(names).toEqual(['orders', 'search', 'web']);
  });
});

describe('input size limits through the CLI', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-limits-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a 300 MB catalog file at once, naming the file, the limit and the setting', async () => {
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\n');
    const file = join(dir, 'huge-catalog.yaml');
    writeFileSync(file, '');
    truncateSync(file, 300 * 1024 * 1024); // sparse: no disk, no time
    const result = await runUf(['catalog', 'import', file], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${file}: the file is 300 MiB (314572800 bytes), more than the 32 MiB limit for catalog input; if the file is genuine, raise limits.catalog in factory.yaml or UF_LIMIT_CATALOG`,
    );
  });

  it('takes limits from factory.yaml and from UF_LIMIT_<KIND>, the environment winning', async () => {
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, catalogOf('payments'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nlimits:\n  catalog: 100\n');
    const fromFile = await runUf(['catalog', 'import', file], { cwd: dir });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain('more than the 100 bytes limit for catalog input');
    const raised = await runUf(['catalog', 'import', file], { cwd: dir, env: { UF_LIMIT_CATALOG: '1KiB' } });
    expect(raised.code).toBe(0);
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nlimits:\n  catalog: lots\n');
    const bad = await runUf(['catalog', 'list'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('limits.catalog: a size such as 268435456, 256MiB or 1GiB');
    const tiny = await runUf(['catalog', 'list'], { cwd: dir, env: { UF_LIMIT_CONFIG: '10' } });
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toContain('limit for config input; if the file is genuine, raise UF_LIMIT_CONFIG');
  });

  it('stops inflating a gzip bomb given as the EPSS file and reports it', async () => {
    writeFileSync(join(dir, 'epss.csv.gz'), gzipSync(Buffer.alloc(100 * 1024 * 1024))); // 100 MiB of zeros, ~100 KB
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nintake:\n  epss: epss.csv.gz\n');
    const result = await runUf(['intake', 'run'], { cwd: dir });
    expect(result.stderr).toContain('epss.csv.gz: the data inflates past the 64 MiB limit for epss input; if the file is genuine, raise limits.epss');
  });
});
