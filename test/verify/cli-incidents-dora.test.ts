import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

/** One smoke test per new command group, in process: `uf incidents`, `uf dora` and `uf review`. */
describe('uf incidents, uf dora and uf review', () => {
  let dir: string;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'uf', '--config', join(dir, 'factory.yaml'), ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-incidents-'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nincidents:\n  linkWindow: 12h\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports what it can, names what it refused, exits 2; lists; reports DORA with no deployments', async () => {
    const file = join(dir, 'incidents.csv');
    writeFileSync(file, 'id,title,service,severity,startedAt\nA-1,Checkout down,checkout,P1,2026-11-03T10:00:00Z\nA-2,Bad,checkout,sev9,2026-11-03T10:00:00Z\n');
    const imported = await run('incidents', 'import', file);
    expect(imported.code).toBe(2);
    expect(imported.stdout).toContain('1 incidents recorded, 0 updated, 1 refused');
    expect(imported.stdout).toContain('import:A-1: sev1 checkout (not in the service map); not linked: no deployment on checkout started within 12h before it');
    expect(imported.stderr).toContain(`${file}:3: id A-2: severity: "sev9" is not a severity`);
    expect((await run('incidents', 'import', file, '--format', 'xml')).code).toBe(2);

    const listed = await run('incidents', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 'import:A-1', severity: 'sev1', serviceKnown: false, link: null }]);

    const dora = await run('dora', '--period', '2026-11');
    expect(dora.code).toBe(0);
    expect(dora.stdout).toContain('deployment frequency       0/day, 0/week  (0 deployments / 30 days; 0 reached 100%)');
    expect(dora.stdout).toContain('change fail rate           no deployments');
    expect((await run('dora', '--period', 'Q4')).stderr).toContain('period "Q4": not a period; expected a quarter (2026-Q4), a month (2026-11)');

    const review = await run('review', 'show', 'upg_none');
    expect(review.code).toBe(1);
    expect(review.stderr).toContain('no post-implementation review for upg_none');
  });
});
