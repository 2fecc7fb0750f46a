import type { Command } from 'commander';
import { importCatalogFiles } from '../../app/import-files.js';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import { UfError } from '../../core/errors.js';
import type { EntityKind } from '../../core/service-map.js';
import { listEntities } from '../../store/repos/catalog.js';
import { currentActor, resolvePath, withAppRoot, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson, progress } from '../output.js';
import { reportOutcomes } from './report.js';
import { didYouMean, unknownName } from '../../core/known-names.js';

const entityKinds: readonly EntityKind[] = ['Component', 'System', 'Resource', 'API', 'Group', 'User', 'Domain'];

export function registerCatalog(program: Command, runtime: CliRuntime): void {
  const catalog = program.command('catalog').description('the service map, from Backstage catalog-info.yaml files');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  catalog
    .command('import')
    .description('import catalog-info.yaml files (default: the catalog list in factory.yaml)')
    .argument('[files...]', 'catalog files')
    .option('--allow-removals', 'let a file remove more than half of the entities it replaces (refused otherwise)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (files: string[], options: { json?: boolean; allowRemovals?: boolean }) =>
        withAppRoot(global(), async ({ store, loaded, events, clock }) => {
          const targets = files.length > 0 ? files : loaded.config.catalog.map((f) => resolvePath(loaded, f));
          if (targets.length === 0) throw new UfError('usage', 'no catalog files given, and factory.yaml lists none under catalog');
          const bar = progress(runtime.output, 'importing catalog', targets.length);
          const outcomes = await importCatalogFiles(store, targets, currentActor(), (file) => bar.tick(file), {
            limits: loaded.config.limits,
            allowRemovals: options.allowRemovals === true,
            events,
            clock,
          });
          bar.done();
          return reportOutcomes(runtime, outcomes, options.json === true, (r) => `${r.entities} entities (${r.added} added, ${r.updated} updated, ${r.removed} removed)`);
        }),
      ),
    );

  catalog
    .command('list')
    .description('entities on the service map')
    .option('--kind <kind>', 'Component, System, Resource, API, Group, User or Domain')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { kind?: string; json?: boolean }) =>
        withStore(global(), async (store) => {
          // Backstage kinds are matched case-insensitively, as Backstage does.
          const kind = options.kind === undefined ? undefined : entityKinds.find((k) => k.toLowerCase() === options.kind!.toLowerCase());
          if (options.kind !== undefined && kind === undefined) throw unknownName('kind', '--kind', options.kind, entityKinds, 'usage');
          const entities = await listEntities(store.db, kind ? { kind } : {});
          if (options.json) printJson(runtime.output, entities);
          else
            runtime.output.out(
              formatTable(
                ['REF', 'OWNER', 'TIER', 'PATHS', 'TRAFFIC', 'DEPENDS ON'],
                entities.map((e) => [
                  e.ref,
                  e.owner ?? '-',
                  e.factory.tier ?? '-',
                  e.factory.criticalPaths.join(',') || '-',
                  e.factory.trafficShare !== undefined ? `${(e.factory.trafficShare * 100).toFixed(1)}%` : '-',
                  e.dependsOn.map(shortRef).join(',') || '-',
                ]),
              ),
            );
          return 0;
        }, 'read'),
      ),
    );

  catalog
    .command('dependents')
    .description('who depends on an entity, directly and transitively (through dependsOn and consumed APIs)')
    .argument('<ref>', 'entity ref (resource:default/orders-db) or a component name (payments)')
    .option('--direct', 'direct dependents only')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (ref: string, options: { direct?: boolean; json?: boolean }) =>
        withStore(global(), async (store) => {
          const entities = await listEntities(store.db);
          const graph = buildServiceGraph(entities);
          const full = ref.includes(':') ? ref.toLowerCase() : `component:default/${ref.toLowerCase()}`;
          if (!graph.entity(full)) {
            const hint = didYouMean(shortRef(full), entities.map((e) => shortRef(e.ref)));
            throw new UfError('not_found', `no entity ${full} on the service map${hint}`, { record: full });
          }
          const hits = options.direct ? graph.directDependents(full) : graph.transitiveDependents(full);
          const rows = hits.map((h) => ({ ref: h.ref, depth: h.depth, path: h.path }));
          if (options.json) printJson(runtime.output, rows);
          else if (rows.length === 0) runtime.output.out(`nothing depends on ${full}`);
          else runtime.output.out(formatTable(['DEPENDENT', 'DEPTH', 'PATH'], rows.map((r) => [r.ref, r.depth, r.path.map(shortRef).join(' <- ')])));
          return 0;
        }, 'read'),
      ),
    );
}

/** `component:default/payments` → `payments`; other kinds and namespaces keep their prefix. */
export function shortRef(ref: string): string {
  return ref.replace(/^component:default\//, '');
}
