import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const mainModule = new URL('../dist/cli/main.js', import.meta.url).href;

/**
 * `uf --help` and `uf --version` must not load any command's code (the server, the store, the
 * parsers): the speed itself is measured by `npm run bench:cli`; this checks the cause, which does
 * not depend on how loaded the machine is. CommonJS packages show in the require cache.
 */
function packagesLoadedBy(args: string[]): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(mainModule)});
    const code = await main(['node', 'uf', ...${JSON.stringify(args)}], { out() {}, err() {} });
    const loaded = Object.keys(createRequire(import.meta.url).cache).map((f) => f.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1]).filter(Boolean);
    console.log(JSON.stringify({ code, loaded: [...new Set(loaded)] }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
  expect(result.stderr).toBe('');
  const parsed = JSON.parse(result.stdout) as { code: number; loaded: string[] };
  expect(parsed.code).toBe(0);
  return parsed.loaded;
}

describe('uf startup', () => {
  it('answers --help and --version without loading any command', () => {
    for (const args of [['--help'], ['--version']]) {
      const loaded = packagesLoadedBy(args);
      for (const heavy of ['fastify', 'pino', 'better-sqlite3', 'pg', 'undici', 'yaml', 'croner']) expect(loaded, `${args[0]} loaded ${heavy}`).not.toContain(heavy);
      expect(loaded).toContain('commander');
    }
  });

  it('loads only the command that runs', () => {
    const loaded = packagesLoadedBy(['cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']);
    expect(loaded).not.toContain('fastify');
    expect(loaded).not.toContain('better-sqlite3');
  });
});
