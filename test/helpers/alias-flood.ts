import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A hostile feed: `count` OSV records under new GHSA ids, each a copy of the real Log4Shell record
 * (demo-data) and all naming the same alias, CVE-2021-44228. Written as one JSON array file.
 */
export function writeAliasFlood(file: string, count: number, repoRoot = process.cwd()): void {
  const template = JSON.parse(readFileSync(join(repoRoot, 'demo-data', 'advisories', 'GHSA-jfh8-c2jp-5v3q.json'), 'utf8')) as Record<string, unknown>;
  const records = Array.from({ length: count }, (_, i) => ({ ...template, id: floodId(i), aliases: ['CVE-2021-44228'] }));
  writeFileSync(file, JSON.stringify(records));
}

const alphabet = '23456789cfghjmpqrvwx';

/** A GHSA-shaped id, distinct for each n (GHSA's own alphabet). */
export function floodId(n: number): string {
  let s = '';
  for (let i = 0; i < 12; i++) {
    s += alphabet[n % 20];
    n = Math.floor(n / 20);
  }
  return `GHSA-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}
