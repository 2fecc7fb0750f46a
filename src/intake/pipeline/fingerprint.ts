import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fingerprint of everything intake reads, so an unchanged re-run can stop at once. Files are
 * hashed by content (a copy with a new modification time is still unchanged), folders by the
 * content of every JSON file in them.
 */
export function fingerprintPath(path: string): string {
  try {
    const stat = statSync(path);
    if (!stat.isDirectory()) return `${path}:${hashFile(path)}`;
    const parts: string[] = [];
    walk(path, parts);
    return `${path}:${hash(parts.join('\n'))}`;
  } catch {
    return `${path}:missing`;
  }
}

/** Hashed in chunks: an all.zip export is hundreds of megabytes (past 2 GiB a whole-file read fails outright). */
function hashFile(path: string): string {
  const digest = createHash('sha256');
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  const fd = openSync(path, 'r');
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) digest.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return digest.digest('hex');
}

function walk(dir: string, parts: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, parts);
    else if (entry.name.endsWith('.json')) {
      parts.push(`${entry.name}:${hashFile(full)}`);
    }
  }
}

export function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
