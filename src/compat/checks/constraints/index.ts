import type { ConstraintsCheckSettings } from '../../../config/sections/compat.js';
import type { CellFinding, CheckOutcome, CheckRequest, CheckRunner, TargetComponent } from '../../types.js';
import { collect, type Collected } from './collect.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { ManifestCache } from './formats.js';
import { constrains } from './match.js';

export { discoverExtensions } from './discover.js';
export { ManifestCache } from './formats.js';
export type { Discovered } from './discover.js';

const label = (component: TargetComponent): string => `${component.name} ${component.targetVersion}`;
const more = (count: number): string => (count > 1 ? ` (+${count - 1} more)` : '');
const reasonOf = (signal: AbortSignal): string => (signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted'));

function stopped(signal: AbortSignal): CheckOutcome {
  return { status: 'error', summary: `stopped before the constraints were evaluated: ${reasonOf(signal)}` };
}

/** Notes (unresolved Maven properties, missing packument versions) about an upgraded component, or about the whole row. */
function notesFor(collected: Collected, components: readonly TargetComponent[]): CellFinding[] {
  return collected.notes
    .filter((note) => note.on === '*' || components.some((component) => component.name.toLowerCase() === note.on.toLowerCase()))
    .map(({ ruleId, level, text, location }) => ({ ruleId, level, text, ...(location === undefined ? {} : { location }) }));
}

/** The cell from the evaluations: any exclusion fails; otherwise anything unread is an error; otherwise a pass. */
function decide(consumerId: string, components: readonly TargetComponent[], collected: Collected, evaluations: readonly Evaluation[]): CheckOutcome {
  const findings = [...evaluations.map((evaluation) => evaluation.finding), ...notesFor(collected, components)];
  const details = {
    constraints: evaluations.map(({ constraint, component, verdict }) => ({
      on: constraint.on,
      range: constraint.range,
      declaredBy: constraint.declaredBy,
      file: constraint.file,
      ...(constraint.line === undefined ? {} : { line: constraint.line }),
      target: component.targetVersion,
      verdict,
    })),
  };
  const unread = collected.problems.length > 0 ? `; could not read ${collected.problems[0]}${more(collected.problems.length)}` : '';
  const excluding = evaluations.filter((evaluation) => evaluation.verdict === 'excludes');
  const first = excluding[0];
  if (first !== undefined) return { status: 'fail', summary: `${first.sentence}${more(excluding.length)}${unread}`, ruleId: first.finding.ruleId, findings, details };
  const problem = collected.problems[0];
  if (problem !== undefined) return { status: 'error', summary: `could not read ${problem}${more(collected.problems.length)}`, findings, details };
  const unreadable = evaluations.filter((evaluation) => evaluation.verdict === 'unreadable');
  const firstUnreadable = unreadable[0];
  if (firstUnreadable !== undefined) {
    return { status: 'error', summary: `${firstUnreadable.sentence}${more(unreadable.length)}`, ruleId: firstUnreadable.finding.ruleId, findings, details };
  }
  const targets = components.map(label).join(', ');
  const files = collected.read.join(', ');
  const holding = evaluations.filter((evaluation) => evaluation.verdict === 'holds').length;
  const warnings = evaluations.filter((evaluation) => evaluation.verdict === 'warns').length;
  const warned = warnings > 0 ? `; ${warnings} warning${warnings > 1 ? 's' : ''}` : '';
  if (holding === 0 && warnings === 0) {
    const info = evaluations.length > 0 ? ` (${evaluations.length} not binding: see findings)` : '';
    return { status: 'pass', summary: `${consumerId}: no constraint on ${components.map((c) => c.name).join(', ')} declared in ${files}${info}`, findings, details };
  }
  return { status: 'pass', summary: `${consumerId}: ${holding} constraint${holding === 1 ? ' holds' : 's hold'} for ${targets} (${files})${warned}`, findings, details };
}

/**
 * The `constraints` check: what a row's manifests declare about the upgraded components (npm peer,
 * engines and dependency ranges, Composer require and conflict, Gemfile.lock requirements,
 * Requires-Dist, Maven ranges, WordPress headers), each evaluated against the target version with
 * the ecosystem's own version scheme. See evaluate.ts for the rule ids. The runner keeps the last
 * manifests it read (`ManifestCache`), since every extension row of a service reads its lockfile.
 */
export function createConstraintsRunner(manifests: ManifestCache = new ManifestCache()): CheckRunner<ConstraintsCheckSettings> {
  return {
    kind: 'constraints',
    async run(request: CheckRequest<ConstraintsCheckSettings>): Promise<CheckOutcome> {
      const { consumer, components, signal } = request;
      if (signal.aborted) return stopped(signal);
      if (components.length === 0) return { status: 'error', summary: `upgrade ${request.upgradeId} names no component: expected at least one component with a target version` };
      if (consumer.manifests.length === 0) {
        return { status: 'error', summary: `${consumer.id} lists no manifest: expected package.json, composer.json, a lockfile, METADATA or pom.xml in its manifests` };
      }
      let collected: Collected;
      try {
        collected = await collect(manifests, consumer, request.spec.packuments, request.baseDir, signal);
      } catch (error) {
        if (signal.aborted) return stopped(signal);
        throw error;
      }
      if (signal.aborted) return stopped(signal);
      const evaluations = components.flatMap((component) =>
        collected.constraints.filter((constraint) => constrains(constraint, component)).map((constraint) => evaluate(constraint, component)),
      );
      const outcome = decide(consumer.id, components, collected, evaluations);
      // Messages quote manifests' text; the matrix shows one line.
      return { ...outcome, summary: outcome.summary.replace(/\s*[\r\n]+\s*/g, ' ') };
    },
  };
}

export const constraintsRunner: CheckRunner<ConstraintsCheckSettings> = createConstraintsRunner();
