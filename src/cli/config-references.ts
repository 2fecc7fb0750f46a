import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseCatalogFile } from '../catalog/service-map/index.js';
import { configError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { trafficRouterEntries } from '../config/sections/traffic.js';
import { UfError } from '../core/errors.js';
import { formatKeyPath } from '../core/key-path.js';
import { didYouMean } from '../core/known-names.js';

/**
 * The services that factory.yaml names (inventories, traffic.routers, traffic.proxies, journeys, rollout.services) must be Components in the
 * catalog files it lists, so a typo is refused at load, at its own line, not at first use. When
 * no catalog is listed, or a catalog file cannot be read or parsed (`uf catalog import` reports
 * that), the check is left to the point of use (inventory import checks the stored service map).
 */
export function checkServiceReferences(loaded: LoadedConfig): void {
  const { config } = loaded;
  const references = [
    ...config.inventories.map((i, index) => ({ service: i.service, path: ['inventories', index, 'service'] })),
    ...trafficRouterEntries(config.traffic).map(({ router, path }) => ({ service: router.service, path: [...path, 'service'] })),
    ...config.journeys.map((j, index) => ({ service: j.service, path: ['journeys', index, 'service'] })),
    ...Object.keys(config.rollout.services).map((service) => ({ service, path: ['rollout', 'services', service] })),
  ];
  if (references.length === 0 || config.catalog.length === 0) return;
  const components: string[] = [];
  for (const entry of config.catalog) {
    const file = isAbsolute(entry) ? entry : resolve(loaded.baseDir, entry);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const parsed = parseCatalogFile(text, file);
    if (parsed.errors.length > 0) return;
    for (const entity of parsed.entities) if (entity.kind === 'Component') components.push(entity.name);
  }
  const known = new Set(components.map((name) => name.toLowerCase()));
  const problems = references
    .filter((r) => !known.has(r.service.toLowerCase()))
    .map((r) => {
      return new UfError('config_invalid', `service '${r.service}' is not a Component in the catalog files${didYouMean(r.service, components)}`, {
        ...(loaded.file !== undefined ? { file: loaded.file } : {}),
        line: loaded.lineOf?.(r.path),
        path: formatKeyPath(r.path),
      });
    });
  if (problems.length > 0) throw configError(problems);
}
