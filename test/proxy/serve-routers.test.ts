import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from '../helpers/cli.js';

/** `uf serve` refuses router settings that would open production traffic to the network. */
describe('uf serve with traffic.proxies', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-serve-routers-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an admin address beyond loopback without UF_ADMIN_TOKEN: exit 2, one line, nothing started', async () => {
    writeFileSync(
      join(dir, 'factory.yaml'),
      ['version: 1', 'traffic:', '  proxies:', '    - { service: checkout, listen: "127.0.0.1:0", stable: "http://127.0.0.1:1", canary: "http://127.0.0.1:2", admin: "0.0.0.0:0" }'].join('\n'),
    );
    const result = await runUf(['serve', '--port', '0', '--no-intake'], { cwd: dir, env: { UF_ADMIN_TOKEN: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/traffic\.proxies\[0\] \(checkout\)\.admin 0\.0\.0\.0:0 is not a loopback address: set UF_ADMIN_TOKEN/);
    expect(result.stdout).not.toContain('upgrade factory serving');
  });
});
