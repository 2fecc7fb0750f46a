import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandEntries } from '../src/cli/commands/index.js';
import { fixture, runUf } from './helpers/cli.js';

/** Exit codes, one-line reasons and unknown names: what a user sees when something is wrong. */
describe('uf failures and answers', { timeout: 90_000 }, () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  const config = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-errors-'));
    for (const name of ['catalog-info.yaml', 'payments.production.cdx.json', 'payments.staging.cdx.json']) copyFileSync(fixture(name), join(dir, name));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the package version and lists every command in its help', async () => {
    const version = await uf('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
    const help = await uf('--help');
    expect(help.code).toBe(0);
    for (const entry of commandEntries) expect(help.stdout).toMatch(new RegExp(`^  ${entry.name}\\b`, 'm'));
    expect(help.stdout).toContain('--debug');
  });

  it('refuses to work without a factory.yaml, saying how to make one, and creates no store', async () => {
    const result = await uf('upgrades', 'list');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^uf: no factory\.yaml in .*: create one with `uf init`/);
    expect(existsSync(join(dir, '.uf'))).toBe(false);
  });

  it('init into a missing folder: one line, exit 2, no stack', async () => {
    const result = await uf('init', 'sub/dir/factory.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('uf: sub/dir/factory.yaml: cannot write sub/dir/factory.yaml: folder sub/dir does not exist (create it first)\n');
  });

  it('serve on a host that does not resolve or is not ours: one line, exit 2; the stack only with --debug', async () => {
    const file = config('serve.yaml', 'version: 1\n');
    const unknownHost = await uf('--config', file, 'serve', '--no-intake', '--port', '0', '--host', 'nope.invalid');
    expect(unknownHost.code).toBe(2);
    expect(unknownHost.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknownHost.stderr).toMatch(/^uf: unknown host 'nope\.invalid'/);
    const notOurs = await uf('--config', file, 'serve', '--no-intake', '--port', '0', '--host', '192.0.2.1');
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toMatch(/^uf: cannot listen on 192\.0\.2\.1.*: the address does not belong to this machine\n$/);
    const debug = await uf('--debug', '--config', file, 'serve', '--no-intake', '--port', '0', '--host', 'nope.invalid');
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^uf: unknown host/);
    expect(debug.stderr).toMatch(/\n\s+at /);
  }, 60_000);

  it('reports every config problem, each at its own line, and unknown services at the line that names them', async () => {
    const file = config(
      'many.yaml',
      ['version: 1', 'server:', '  port: "eighty"', '  hots: x', 'catalog: [catalog-info.yaml]', 'inventories:', '  - service: paymnts', '    environment: production', '    file: payments.production.cdx.json', ''].join('\n'),
    );
    const structural = await uf('--config', file, 'upgrades', 'list');
    expect(structural.code).toBe(2);
    expect(structural.stderr.trim().split('\n')).toEqual([expect.stringMatching(/many\.yaml:3: server\.port: /), expect.stringMatching(/many\.yaml:4: server\.hots: unknown key 'hots'$/)]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('  port: "eighty"\n  hots: x\n', '  port: 7070\n') + 'traffic:\n  proxies:\n    - { service: shop-wbe, listen: "127.0.0.1:0", stable: "http://127.0.0.1:1", canary: "http://127.0.0.1:2" }\n');
    const references = await uf('--config', file, 'upgrades', 'list');
    expect(references.code).toBe(2);
    expect(references.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/many\.yaml:6: inventories\[0\]\.service: service 'paymnts' is not a Component in the catalog files; did you mean 'payments'\?$/),
      expect.stringMatching(/many\.yaml:11: traffic\.proxies\[0\]\.service: service 'shop-wbe' is not a Component in the catalog files; did you mean 'shop-web'\?$/),
    ]);
  }, 60_000);

  describe('with a service map and inventories', () => {
    let file: string;
    beforeAll(async () => {
      file = config('factory.yaml', 'version: 1\ncatalog: [catalog-info.yaml]\n');
      expect((await uf('catalog', 'import')).code).toBe(0);
      expect((await uf('inventory', 'import', 'payments.production.cdx.json', '--service', 'payments', '--environment', 'production')).code).toBe(0);
    }, 60_000);

    it('refuses an unknown service or environment in a filter with the close names, instead of an empty answer', async () => {
      for (const args of [
        ['upgrades', 'list', '--service', 'paymnts'],
        ['inventory', 'list', '--service', 'paymnts'],
        ['inventory', 'drift', '--service', 'paymnts'],
      ]) {
        const result = await uf(...args);
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe("uf: --service: unknown service 'paymnts'; did you mean 'payments'? (known: payments, shop-web)\n");
      }
      const environment = await uf('inventory', 'list', '--service', 'payments', '--environment', 'prod');
      expect(environment.code).toBe(1);
      expect(environment.stderr).toContain("--environment: unknown environment 'prod'; did you mean 'production'?");
      expect((await uf('inventory', 'list', '--service', 'shop-web')).stdout).toBe('no inventory imported for shop-web\n');
      expect(JSON.parse((await uf('upgrades', 'list', '--service', 'payments', '--json')).stdout)).toEqual([]);
    }, 120_000);

    it('refuses a value outside a fixed set with exit 2, suggesting the close one', async () => {
      const kind = await uf('catalog', 'list', '--kind', 'Compnent');
      expect(kind.code).toBe(2);
      expect(kind.stderr).toContain("did you mean 'Component'?");
      expect(JSON.parse((await uf('catalog', 'list', '--kind', 'component', '--json')).stdout)).toHaveLength(2);
      const state = await uf('upgrades', 'list', '--state', 'triagd');
      expect(state.code).toBe(2);
      expect(state.stderr).toContain("did you mean 'triaged'?");
      expect((await uf('upgrades', 'list', '--sort', 'score')).code).toBe(2);
      const subject = await uf('log', 'export', '--subject', 'upg_nope');
      expect(subject.code).toBe(1);
      expect(subject.stderr).toBe("uf: --subject: no log entries about 'upg_nope'\n");
    }, 120_000);

    it('intake run exits 2 naming the sources it could not read', async () => {
      writeFileSync(file, 'version: 1\ncatalog: [catalog-info.yaml]\nintake:\n  advisories: [missing-advisories/]\n  kev: missing-kev.json\n');
      const result = await uf('intake', 'run');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/uf: intake incomplete: 2 sources could not be read in full: .*missing-advisories.*missing-kev\.json/);
    }, 60_000);
  });
});
