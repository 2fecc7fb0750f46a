import { UfError } from '../../../core/errors.js';
import type { Consumer, TargetComponent } from '../../types.js';
import { isLockfile, readManifest } from './formats.js';
import { constrains, isUpgraded } from './match.js';

export interface Discovered {
  consumers: Consumer[];
  /** One line per lockfile that could not be read, naming it. */
  problems: string[];
}

/**
 * The extension rows a service's lockfiles reveal: every locked package (composer.lock,
 * package-lock.json, Gemfile.lock) that declares a constraint on an upgraded component, except the
 * components themselves (they move together in a release group, so their old constraints do not
 * count). Row kinds: Composer `drupal-module` → module, `drupal-theme`/`wordpress-theme` → theme,
 * `wordpress-plugin` → plugin, Gemfile.lock → gem, anything else → package. A package locked in
 * several of the service's files is one row listing each. Files that are not lockfiles are skipped:
 * they are the service's own manifests, its own row.
 */
export async function discoverExtensions(service: string, files: readonly string[], components: readonly TargetComponent[], signal?: AbortSignal): Promise<Discovered> {
  const rows = new Map<string, Consumer>();
  const problems: string[] = [];
  for (const file of files.filter(isLockfile)) {
    let reading;
    try {
      reading = await readManifest(file, signal);
    } catch (error) {
      signal?.throwIfAborted();
      problems.push(error instanceof UfError ? error.describe() : `${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const pkg of reading.packages) {
      const syntax = pkg.constraints[0]?.syntax;
      if (syntax === undefined || isUpgraded(syntax, pkg.name, components)) continue;
      if (!pkg.constraints.some((constraint) => components.some((component) => constrains(constraint, component)))) continue;
      const id = `${service}/${pkg.name}`;
      const known = rows.get(id);
      if (known) {
        if (!known.manifests.includes(file)) known.manifests.push(file);
        continue;
      }
      rows.set(id, { id, kind: pkg.kind, service, name: pkg.name, manifests: [file], source: file });
    }
  }
  return { consumers: [...rows.values()], problems };
}
