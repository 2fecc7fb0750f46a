/**
 * The direction rule of src/ (DESIGN.md, "Direction"): dependencies point down,
 *
 *   front ends (app, api, cli, demo)  ->  stages (intake, risk, catalog, traffic, proxy, and later
 *   compat, rollout, governance, verify, readout)  ->  store, audit, ecosystems, config  ->  core
 *
 * `npm run lint` checks it with scripts/check-layers.mjs, which cruises src/ once with these rules
 * and adds the one rule dependency-cruiser cannot state: no cycle between top-level folders
 * ("no-folder-cycle"; a folder-scoped rule here would see every nested folder, not the top level).
 *
 * Only shipped code is checked: test files and the test support that tsconfig.build.json leaves out
 * of the build (*.test.ts, *.contract.ts, testing.ts, order-fixtures.ts) may reach
 * across layers to build fixtures.
 */
const frontEnds = '(app|api|cli|demo)';
const lowerLayers = '(store|audit|ecosystems|config|core)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-else',
      comment:
        'core/ is the bottom layer: the domain types, errors, ids and the clock every other folder builds on. ' +
        'If it imported another folder of src/, that folder could not import core without a cycle; move the shared piece into core instead.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'only-front-ends-import-front-ends',
      comment:
        'app/ (the composition root), api/, cli/ and demo/ are the front ends: they call the stages, never the other way round. ' +
        'A stage or a lower layer that needs something from a front end should take it as a parameter, or the piece belongs lower down.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/${frontEnds}/` },
      to: { path: `^src/${frontEnds}/` },
    },
    {
      name: 'lower-layers-import-only-lower-layers',
      comment:
        'store/, audit/, ecosystems/ and config/ sit under the stages: they may import each other (without a folder cycle) and core/, ' +
        'but no stage (intake, risk, catalog, traffic, proxy, compat, rollout, governance, verify, readout) and no front end. ' +
        "A repository that maps rows to a stage's types lives next to that stage (e.g. intake/store/).",
      severity: 'error',
      from: { path: `^src/${lowerLayers}/`, pathNot: '^src/core/' },
      to: { path: '^src/', pathNot: `^src/${lowerLayers}/` },
    },
  ],
  options: {
    // Shipped code only: see the note at the top.
    exclude: { path: ['node_modules', '\\.test\\.ts$', '\\.contract\\.ts$', '/testing\\.ts$', '/order-fixtures\\.ts$'] },
    doNotFollow: { path: 'node_modules' },
    // A type-only import is a dependency too: it ties the folders' code together all the same.
    tsPreCompilationDeps: true,
  },
};
