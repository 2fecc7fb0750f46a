import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of an executable on PATH or in the sbin directories (haproxy and nginx live there). */
export function findBinary(name: string): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const directory of directories) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The reason an integration suite is skipped when its server is not installed; undefined when it runs. */
export function missingBinaryReason(name: string, path: string | undefined): string | undefined {
  if (path !== undefined) return undefined;
  const reason = `${name} is not installed (apt-get install ${name}): ${name} integration tests skipped (CI installs it)`;
  console.warn(reason);
  return reason;
}
