#!/usr/bin/env node
/**
 * Checks the direction rule of src/ (run by `npm run lint`): cruises src/ once with the rules in
 * .dependency-cruiser.cjs and adds the rule dependency-cruiser cannot state, no cycle between
 * top-level folders ("no-folder-cycle"). Prints each violation with its rule name and exits 1
 * when there is one.
 *
 *   node scripts/check-layers.mjs [--config FILE] [--json]
 *
 * It checks `src/` under the current directory; `--config` defaults to .dependency-cruiser.cjs
 * beside this script's folder (the project's own rules), so a fixture tree can be checked with
 * the same rules by running it from there.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

export const folderCycleRule = {
  name: 'no-folder-cycle',
  comment:
    'The top-level folders of src/ form a layered graph with no cycle, counting every import between two folders, ' +
    'not only module cycles: a/x.ts -> b/y.ts and b/z.ts -> a/w.ts tie a and b together as much as a module cycle does. ' +
    'Break it by moving the shared piece down a layer or by passing it in from above.',
};

/** The top-level folder of a module under src/, or undefined for anything else. */
function topFolder(source) {
  const match = /^src\/([^/]+)\//.exec(source);
  return match?.[1];
}

/**
 * Collapses the modules to their top-level folders and returns each cycle among them: one per
 * strongly connected component of more than one folder, with one example import per edge.
 */
export function folderCycles(modules) {
  /** @type {Map<string, Map<string, string>>} folder -> (folder it imports -> an example import) */
  const edges = new Map();
  for (const module of modules) {
    const from = topFolder(module.source);
    if (from === undefined) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    for (const dependency of module.dependencies) {
      const to = topFolder(dependency.resolved);
      if (to === undefined || to === from) continue;
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} -> ${dependency.resolved}`);
      if (!edges.has(to)) edges.set(to, new Map());
    }
  }
  return stronglyConnected(edges)
    .filter((component) => component.length > 1)
    .map((component) => {
      const members = new Set(component);
      const imports = component.flatMap((from) => [...edges.get(from)].filter(([to]) => members.has(to)).map(([to, example]) => ({ from, to, example })));
      return { folders: [...component].sort(), path: cyclePath(component, edges), imports };
    });
}

/** Tarjan's algorithm over the folder graph. */
function stronglyConnected(edges) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node).keys()) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** One closed walk through the component from its first folder, for the message: `a -> b -> a`. */
function cyclePath(component, edges) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  // Breadth-first from start back to start, inside the component.
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const to of [...edges.get(node).keys()].sort()) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * Cruises `src` under `root` with the rules in `configFile`. Returns every violation: those of the
 * dependency-cruiser rules, then the folder cycles.
 */
export async function checkLayers({ root = process.cwd(), configFile = defaultConfigFile } = {}) {
  const options = await extractDepcruiseOptions(configFile);
  const tsConfigFile = options.ruleSet?.options?.tsConfig?.fileName;
  const tsConfig = tsConfigFile ? extractTSConfig(resolve(root, tsConfigFile)) : undefined;
  const previous = process.cwd();
  process.chdir(root);
  let result;
  try {
    ({ output: result } = await cruise(['src'], { ...options, outputType: 'json' }, {}, tsConfig ? { tsConfig } : {}));
  } finally {
    process.chdir(previous);
  }
  const cruised = typeof result === 'string' ? JSON.parse(result) : result;
  const comments = new Map((options.ruleSet?.forbidden ?? []).map((rule) => [rule.name, rule.comment]));
  const violations = cruised.summary.violations.map((v) => ({ rule: v.rule.name, severity: v.rule.severity, from: v.from, to: v.to, comment: comments.get(v.rule.name) }));
  for (const cycle of folderCycles(cruised.modules)) {
    violations.push({ rule: folderCycleRule.name, severity: 'error', from: cycle.path.join(' -> '), to: cycle.path[0], comment: folderCycleRule.comment, imports: cycle.imports });
  }
  return { violations, modules: cruised.modules.filter((m) => topFolder(m.source) !== undefined).length };
}

const defaultConfigFile = join(dirname(dirname(fileURLToPath(import.meta.url))), '.dependency-cruiser.cjs');

function format(violations) {
  const lines = [];
  const byRule = new Map();
  for (const v of violations) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), v]);
  for (const [rule, list] of byRule) {
    lines.push(`${rule} (${list.length}): ${list[0].comment ?? ''}`);
    for (const v of list) {
      if (v.imports) {
        lines.push(`  cycle ${v.from}`);
        for (const i of v.imports) lines.push(`    ${i.from} -> ${i.to}, e.g. ${i.example}`);
      } else {
        lines.push(`  ${v.from} -> ${v.to}`);
      }
    }
  }
  return lines.join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { config: { type: 'string' }, json: { type: 'boolean' } } });
  const started = performance.now();
  const { violations, modules } = await checkLayers({ configFile: values.config ? resolve(values.config) : defaultConfigFile });
  const errors = violations.filter((v) => v.severity === 'error');
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ violations, modules }, null, 2)}\n`);
  } else if (violations.length > 0) {
    process.stderr.write(`${format(violations)}\n\nlayers: ${errors.length} violation(s) of the direction rule in ${modules} modules (see .dependency-cruiser.cjs)\n`);
  } else {
    process.stdout.write(`layers: ${modules} modules, no violation of the direction rule (${Math.round(performance.now() - started)} ms)\n`);
  }
  return errors.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`check-layers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
