import type { Command } from 'commander';
import { importInventoryFiles, type InventoryJob } from '../../app/import-files.js';
import { UfError } from '../../core/errors.js';
import { inventoryDrift, listComponents } from '../../store/repos/inventory.js';
import { currentActor, resolvePath, withAppRoot, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson, progress } from '../output.js';
import { reportOutcomes } from './report.js';
import { checkKnown } from '../../core/known-names.js';
import { knownEnvironments, knownServices } from '../../store/repos/names.js';

interface ImportOptions {
  service?: string;
  environment?: string;
  json?: boolean;
  allowRemovals?: boolean;
}

export function registerInventory(program: Command, runtime: CliRuntime): void {
  const inventory = program.command('inventory').description('what each service runs, per environment (CycloneDX, SPDX, package-lock)');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  inventory
    .command('import')
    .description('import inventory files: one with --service and --environment, or all listed in factory.yaml')
    .argument('[file]', 'a CycloneDX JSON, SPDX 2.3 JSON or npm package-lock / npm-shrinkwrap file')
    .option('--service <name>', 'the service the file describes')
    .option('--environment <env>', 'the environment it runs in')
    .option('--allow-removals', 'let a file remove more than half of the components it replaces (refused otherwise)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (file: string | undefined, options: ImportOptions) =>
        withAppRoot(global(), async ({ store, loaded, events, clock, adapters }) => {
          let jobs: InventoryJob[];
          if (file !== undefined) {
            if (!options.service || !options.environment) throw new UfError('usage', 'importing a file needs --service and --environment');
            jobs = [{ service: options.service, environment: options.environment, file }];
          } else {
            jobs = loaded.config.inventories.map((i) => ({ ...i, file: resolvePath(loaded, i.file) }));
            if (jobs.length === 0) throw new UfError('usage', 'no file given, and factory.yaml lists no inventories');
          }
          const bar = progress(runtime.output, 'importing inventories', jobs.length);
          const outcomes = await importInventoryFiles(store, jobs, {
            environments: loaded.config.environments,
            actor: currentActor(),
            limits: loaded.config.limits,
            allowRemovals: options.allowRemovals === true,
            readInventory: adapters.inventoryImporters,
            events,
            clock,
          }, (job) =>
            bar.tick(`${job.service}/${job.environment}`),
          );
          bar.done();
          return reportOutcomes(runtime, outcomes, options.json === true, (r) =>
            r.status === 'unchanged'
              ? `${r.service}/${r.environment}: unchanged since the last import (${r.components} components)`
              : `${r.service}/${r.environment}: ${r.components} components (${r.changed.added} added, ${r.changed.removed} removed, ${r.changed.versionChanged} changed version)${r.skipped ? `, ${r.skipped} entries skipped` : ''}`,
          );
        }),
      ),
    );

  inventory
    .command('list')
    .description('components of a service in an environment')
    .requiredOption('--service <name>', 'service name')
    .option('--environment <env>', 'environment (default: all)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: ImportOptions & { service: string }) =>
        withStore(global(), async (store, loaded) => {
          checkKnown('service', '--service', options.service, await knownServices(store.db));
          if (options.environment !== undefined) checkKnown('environment', '--environment', options.environment, await knownEnvironments(store.db, loaded.config.environments));
          const components = await listComponents(store.db, { service: options.service, ...(options.environment ? { environment: options.environment } : {}) });
          if (options.json) printJson(runtime.output, components);
          else if (components.length === 0) runtime.output.out(`no inventory imported for ${options.service}${options.environment ? ` in ${options.environment}` : ''}`);
          else
            runtime.output.out(
              formatTable(['ENV', 'PURL', 'DIRECT', 'SCOPE'], components.map((c) => [c.environment, c.purl, c.direct ? 'direct' : 'transitive', c.scope])),
            );
          return 0;
        }, 'read'),
      ),
    );

  inventory
    .command('drift')
    .description('components whose versions differ between the environments of a service')
    .option('--service <name>', 'only this service')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { service?: string; json?: boolean }) =>
        withStore(global(), async (store, loaded) => {
          const environments = loaded.config.environments;
          if (options.service !== undefined) checkKnown('service', '--service', options.service, await knownServices(store.db));
          const drift = await inventoryDrift(store.db, { environments, ...(options.service ? { service: options.service } : {}) });
          if (options.json) printJson(runtime.output, drift);
          else if (drift.length === 0) runtime.output.out('no drift: every service runs the same versions in all its environments');
          else
            runtime.output.out(
              formatTable(
                ['SERVICE', 'COMPONENT', ...environments.map((e) => e.toUpperCase())],
                drift.map((d) => [d.service, `${d.ecosystem}:${d.name}`, ...environments.map((e) => (d.versions[e] === undefined ? 'n/a' : d.versions[e]!.join(',') || '-'))]),
              ),
            );
          return 0;
        }, 'read'),
      ),
    );
}
