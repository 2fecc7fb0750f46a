/**
 * Every reader of user and feed input, through the same table: a new reader is added here and
 * gets the same three checks. A byte-order mark is accepted; bytes that are not UTF-8 are refused
 * naming the file and the byte offset; an input past its size limit is refused naming the limit
 * and the setting that raises it. (Sizes use lowered limits so the table runs fast; the default
 * limits against a 300 MB file are in src/core/input/input.test.ts and test/imports-cli.test.ts.)
 */
import { scanAdapters } from '../src/app/adapters.js';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { loadConfig } from '../src/config/load.js';
import { factoryConfigSchema } from '../src/config/schema.js';
import { isUfError } from '../src/core/errors.js';
import { limitSetting, type InputKind, type InputLimits } from '../src/core/input/index.js';
import { advisorySources } from '../src/app/adapters.js';
import { readSources } from '../src/intake/pipeline/read-sources.js';
import { scanInventory } from '../src/intake/scan/index.js';
import { startServer, writeZip } from '../src/intake/sources/advisory-source.contract.js';
import { loadKev } from '../src/intake/sources/index.js';
import { openStore, type Store } from '../src/store/open.js';

const root = mkdtempSync(join(tmpdir(), 'uf-inputs-'));
let store: Store;
const emptyAdvisories = join(root, 'no-advisories');

interface Outcome {
  /** Records the reader got out of the input. */
  items: number;
  /** Every problem reported, as the user sees it (`file:line: message`). */
  problems: string[];
}

interface Reader {
  name: string;
  kind: InputKind;
  /** Valid input; `XX` marks where a bad byte is put. */
  text: string;
  fileName: string;
  /** Puts the bytes where the reader reads them; returns the path to give it and the label its errors use. */
  place?: (dir: string, bytes: Buffer) => Promise<{ path: string; label: string }>;
  read(path: string, limits: Partial<InputLimits>): Promise<Outcome>;
}

const described = async (run: () => Promise<Outcome>): Promise<Outcome> => {
  try {
    return await run();
  } catch (error) {
    if (!isUfError(error)) throw error;
    return { items: 0, problems: [error.describe()] };
  }
};

async function intake(intakeConfig: Record<string, unknown>, limits: Partial<InputLimits>, count: (read: Awaited<ReturnType<typeof readSources>>) => number): Promise<Outcome> {
  const config = factoryConfigSchema.parse({ version: 1, intake: intakeConfig });
  const read = await readSources(advisorySources, config.intake, root, () => {}, limits);
  // A source left with no valid record also fails its health check (its own line, tested in
  // intake-source-health): here only what the reader itself reported counts.
  const problems = read.problems.map((p) => p.message).filter((m) => !m.includes('source failed, what it stored before is kept'));
  return { items: count(read), problems };
}

const cyclonedx = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'svc' } },
  components: [{ 'bom-ref': 'a', type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', description: 'pads XX' }],
});
const osvRecord = JSON.stringify({ id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z', summary: 'a flaw XX', affected: [] });
const osvEntry = 'GHSA-aaaa-bbbb-cccc.json';

const readers: Reader[] = [
  {
    name: 'config (factory.yaml)',
    kind: 'config',
    fileName: 'factory.yaml',
    text: 'version: 1\nname: "factory XX"\n',
    read: (path, limits) => described(async () => ({ items: loadConfig(path, limits).config.name.length > 0 ? 1 : 0, problems: [] })),
  },
  {
    name: 'catalog import',
    kind: 'catalog',
    fileName: 'catalog-info.yaml',
    text: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: other\n  description: "the XX service"\nspec: { type: service, lifecycle: production, owner: group:a }\n',
    read: async (path, limits) => {
      const [outcome] = await importCatalogFiles(store, [path], 'test', undefined, { limits });
      return { items: outcome!.result?.entities ?? 0, problems: outcome!.errors.map((e) => e.describe()) };
    },
  },
  {
    name: 'inventory import',
    kind: 'inventory',
    fileName: 'svc.cdx.json',
    text: cyclonedx,
    read: async (path, limits) => {
      const [outcome] = await importInventoryFiles(store, [{ service: 'svc', environment: 'production', file: path }], { environments: ['production'], actor: 'test', limits });
      return { items: outcome!.result?.components ?? 0, problems: outcome!.errors.map((e) => e.describe()) };
    },
  },
  {
    name: 'uf scan inventory',
    kind: 'inventory',
    fileName: 'scan.cdx.json',
    text: cyclonedx,
    read: (path, limits) => described(async () => ({ items: (await scanInventory(scanAdapters, path, emptyAdvisories, { cacheDir: join(root, 'cache'), limits })).inventory.components, problems: [] })),
  },
  {
    name: 'release notes',
    kind: 'releaseNotes',
    fileName: 'CHANGELOG.md',
    text: '# Changelog\n\n## [1.1.0] - 2024-02-01\n### Fixed\n- the XX bug\n\n## [1.0.0] - 2024-01-01\n### Added\n- all\n',
    read: (path, limits) =>
      intake({ releaseNotes: [{ ecosystem: 'npm', name: 'x', file: path }] }, limits, (read) => read.releaseNotes.get('npm\u0000x')?.releases.length ?? 0),
  },
  {
    name: 'end-of-life data',
    kind: 'endOfLife',
    fileName: 'node.json',
    text: '[{"cycle": "20", "eol": "2026-04-30", "latest": "20.1.0", "codename": "XX"}]',
    read: (path, limits) =>
      intake({ endOfLife: [{ ecosystem: 'npm', name: 'node', product: 'nodejs', file: path }] }, limits, (read) => read.eol.get('npm\u0000node')?.cycles.length ?? 0),
  },
  {
    name: 'KEV catalog',
    kind: 'kev',
    fileName: 'kev.json',
    text: JSON.stringify({
      title: 'KEV XX',
      catalogVersion: '2024.01.01',
      dateReleased: '2024-01-01T00:00:00Z',
      count: 1,
      vulnerabilities: [
        { cveID: 'CVE-2024-0001', vendorProject: 'v', product: 'p', vulnerabilityName: 'n', dateAdded: '2024-01-01', shortDescription: 's', requiredAction: 'r', dueDate: '2024-02-01' },
      ],
    }),
    read: (path, limits) => intake({ kev: path }, limits, (read) => read.kev?.entries.size ?? 0),
  },
  {
    name: 'EPSS (plain)',
    kind: 'epss',
    fileName: 'epss.csv',
    text: '#model_version:vXX,score_date:2024-01-01T00:00:00Z\ncve,epss,percentile\nCVE-2024-0001,0.1,0.2\n',
    read: (path, limits) => intake({ epss: path }, limits, (read) => read.epss?.scores.size ?? 0),
  },
  {
    name: 'EPSS (gzip)',
    kind: 'epss',
    fileName: 'epss.csv.gz',
    text: '#model_version:vXX,score_date:2024-01-01T00:00:00Z\ncve,epss,percentile\nCVE-2024-0001,0.1,0.2\n',
    place: async (dir, bytes) => {
      const path = join(dir, 'epss.csv.gz');
      writeFileSync(path, gzipSync(bytes));
      return { path, label: path };
    },
    read: (path, limits) => intake({ epss: path }, limits, (read) => read.epss?.scores.size ?? 0),
  },
  {
    name: 'OSV file',
    kind: 'advisory',
    fileName: osvEntry,
    text: osvRecord,
    read: (path, limits) => intake({ advisories: [path] }, limits, (read) => read.advisories.size),
  },
  {
    name: 'OSV folder',
    kind: 'advisory',
    fileName: osvEntry,
    text: osvRecord,
    place: async (dir, bytes) => {
      mkdirSync(join(dir, 'osv', 'npm'), { recursive: true });
      const path = join(dir, 'osv', 'npm', osvEntry);
      writeFileSync(path, bytes);
      return { path: join(dir, 'osv'), label: path };
    },
    read: (path, limits) => intake({ advisories: [path] }, limits, (read) => read.advisories.size),
  },
  {
    name: 'OSV all.zip entry',
    kind: 'advisory',
    fileName: osvEntry,
    text: osvRecord,
    place: async (dir, bytes) => {
      const path = join(dir, 'all.zip');
      await writeZip(path, [{ name: osvEntry, data: bytes }]);
      return { path, label: `${path}!/${osvEntry}` };
    },
    read: (path, limits) => intake({ advisories: [path] }, limits, (read) => read.advisories.size),
  },
];

beforeAll(async () => {
  mkdirSync(emptyAdvisories);
  store = await openStore({ sqlitePath: join(root, 'factory.db') });
  const catalog = join(root, 'svc-catalog.yaml');
  writeFileSync(catalog, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec: { type: service, lifecycle: production, owner: group:a }\n');
  const [outcome] = await importCatalogFiles(store, [catalog], 'test');
  expect(outcome!.errors).toEqual([]);
});

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

let cases = 0;
async function setUp(reader: Reader, bytes: Buffer): Promise<{ path: string; label: string }> {
  const dir = join(root, `case-${++cases}`);
  mkdirSync(dir);
  if (reader.place) return reader.place(dir, bytes);
  const path = join(dir, reader.fileName);
  writeFileSync(path, bytes);
  return { path, label: path };
}

describe.each(readers)('$name', (reader) => {
  it('reads the plain input', async () => {
    const { path } = await setUp(reader, Buffer.from(reader.text));
    const outcome = await reader.read(path, {});
    expect(outcome.problems).toEqual([]);
    expect(outcome.items).toBeGreaterThan(0);
  });

  it('accepts a UTF-8 byte-order mark', async () => {
    const { path } = await setUp(reader, Buffer.from(`\uFEFF${reader.text}`));
    const outcome = await reader.read(path, {});
    expect(outcome.problems).toEqual([]);
    expect(outcome.items).toBeGreaterThan(0);
  });

  it('refuses bytes that are not UTF-8, naming the file and the byte offset', async () => {
    const offset = Buffer.from(reader.text).indexOf('XX');
    const bytes = Buffer.from(reader.text);
    bytes[offset] = 0xc3; // a lead byte followed by ASCII: invalid
    const { path, label } = await setUp(reader, bytes);
    const outcome = await reader.read(path, {});
    expect(outcome.items).toBe(0);
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toContain(label);
    expect(outcome.problems[0]).toContain(`not UTF-8 text: invalid byte 0xc3 at byte offset ${offset}`);
  });

  it('refuses input past its size limit, naming the limit and how to raise it', async () => {
    const { path, label } = await setUp(reader, Buffer.from(reader.text));
    const limit = Math.floor(reader.text.length / 2);
    const outcome = await reader.read(path, { [reader.kind]: limit });
    expect(outcome.items).toBe(0);
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toContain(label);
    expect(outcome.problems[0]).toContain(`the ${limit} bytes limit for ${reader.kind} input; if the file is genuine, raise ${limitSetting(reader.kind)}`);
  });
});

describe('downloads', () => {
  it('stop at the limit while streaming to the cache, and leave no partial body behind', async () => {
    let sent = 0;
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // A server that never stops: without a bound the download would fill the disk.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 64 * 1024 * 1024 && response.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) response.once('drain', pump);
        else response.end();
      };
      pump();
    });
    try {
      const cacheDir = join(root, 'download-cache');
      const url = `${server.url}/kev.json`;
      await expect(loadKev(url, { cacheDir, limit: { kind: 'kev', maxBytes: 1024 * 1024 } })).rejects.toMatchObject({
        code: 'input_too_large',
        location: { file: url },
        message: expect.stringContaining('the download grew past the 1 MiB limit for kev input; if the file is genuine, raise limits.kev'),
      });
      expect(readdirSync(cacheDir).filter((name) => name.endsWith('.body'))).toEqual([]);
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});
