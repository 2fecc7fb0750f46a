import type { Command } from 'commander';
import { listScoredUpgrades, viewUpgrade } from '../../app/upgrade-view.js';
import { lessonsFor } from '../../verify/reviews/service.js';
import { evidenceOutcomes, upgradeStates, type EvidenceOutcome, type Upgrade, type UpgradeState } from '../../core/upgrade/index.js';
import type { StoredAssessment } from '../../intake/store/risk.js';
import { currentActor, withAppRoot, withStore, type GlobalOptions } from '../context.js';
import { manualEvents, manualEvidenceKinds, moveUpgrade, recordUpgradeEvidence, type ManualEvent, type ManualEvidenceKind } from '../../app/upgrade-actions.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';
import { checkKnown } from '../../core/known-names.js';
import { knownServices } from '../../store/repos/names.js';
import { registerUpgradeNotes } from './drill.js';

const states: readonly string[] = upgradeStates;

const upgradeSorts = ['risk', 'component', 'state', 'created'] as const;
type UpgradeSort = (typeof upgradeSorts)[number];

interface ListedUpgrade {
  id: string;
  ecosystem: string;
  name: string;
  state: string;
  createdAt: string;
  score: number | null;
}

/** risk: highest score first, unscored last; then component, id, so the order is stable. */
/** States in which an upgrade shows the lessons earlier reviews of its services left (compat onward, while it is in flight). */
const lessonStates: ReadonlySet<string> = new Set(['compat', 'canary', 'progressive', 'verifying']);

export function sortUpgrades<T extends ListedUpgrade>(list: T[], order: UpgradeSort): T[] {
  const byComponent = (a: T, b: T) => `${a.ecosystem}:${a.name}`.localeCompare(`${b.ecosystem}:${b.name}`) || a.id.localeCompare(b.id);
  const stateRank = (s: string) => (states.indexOf(s) + 1 || states.length + 1);
  const compare: Record<UpgradeSort, (a: T, b: T) => number> = {
    risk: (a, b) => (b.score ?? -1) - (a.score ?? -1) || byComponent(a, b),
    component: byComponent,
    state: (a, b) => stateRank(a.state) - stateRank(b.state) || (b.score ?? -1) - (a.score ?? -1) || byComponent(a, b),
    created: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  };
  return [...list].sort(compare[order]);
}

/**
 * What the release notes say about the move. Without notes covering it, breaking changes and
 * migrations are unknown, and the lines say so: "no breaking change" would be a guess.
 */
function releaseNotesLines(upgrade: Upgrade, stored: StoredAssessment): string[] {
  const notes = stored.releaseNotes;
  const unknown = stored.input.reversibility.releaseNotesUnknown;
  const range = upgrade.members.length > 1 ? 'of the members' : `${stored.candidate.currentVersions.at(-1)} -> ${upgrade.targetVersion}`;
  const lines: string[] = [];
  if (notes) {
    const count = (n: number) => (unknown !== undefined ? `at least ${n}` : String(n));
    lines.push(
      `  release notes ${range}: ${notes.releases} releases, ${count(notes.breaking.length)} breaking, ${count(notes.migrations.length)} migrations, ${count(notes.deprecations.length)} deprecations, ${notes.securityFixes.length} security fixes`,
      ...[...notes.breaking, ...notes.migrations].slice(0, 10).map((c) => `    ${c.version} ${c.kind}: ${c.text.slice(0, 120)}`),
    );
  }
  if (unknown !== undefined) lines.push(`  breaking changes, migrations: unknown (${unknown}); counted as risk until release notes cover the move`);
  else if (!notes) lines.push('  release notes: none');
  return lines;
}

export function registerUpgrades(program: Command, runtime: CliRuntime): void {
  const upgrades = program.command('upgrades').description('upgrades and where they are on the path');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  registerUpgradeNotes(upgrades, program, runtime);

  upgrades
    .command('list')
    .description('list upgrades')
    .option('--state <state>', `only upgrades in this state (${states.join(', ')})`)
    .option('--service <name>', 'only upgrades touching this service')
    .option('--sort <order>', `${upgradeSorts.join(', ')} (risk: highest score first)`, 'risk')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { state?: string; service?: string; sort: string; json?: boolean }) => {
        if (options.state !== undefined) checkKnown('state', '--state', options.state, states, 'usage');
        checkKnown('order', '--sort', options.sort, upgradeSorts, 'usage');
        return withStore(global(), async (store) => {
          if (options.service !== undefined) checkKnown('service', '--service', options.service, await knownServices(store.db));
          const filter = { ...(options.state ? { state: options.state as UpgradeState } : {}), ...(options.service ? { service: options.service } : {}) };
          const list = sortUpgrades(await listScoredUpgrades(store, filter), options.sort as UpgradeSort);
          if (options.json) printJson(runtime.output, list);
          else if (list.length === 0) runtime.output.out(options.state || options.service ? 'no upgrades match' : 'no upgrades yet (intake creates them from advisories and release notes)');
          else
            runtime.output.out(
              formatTable(
                ['ID', 'COMPONENT', 'FROM', 'TO', 'SCORE', 'SSVC', 'CLASS', 'STATE', 'WEIGHT', 'SERVICES'],
                list.map((u) => [u.id, `${u.ecosystem}:${u.name}`, u.fromVersions.join(','), u.targetVersion, u.score ?? '-', u.decision ?? '-', u.changeClass, u.state, `${u.weight}%`, u.services.join(',')]),
              ),
            );
          return 0;
        }, 'read');
      }),
    );

  upgrades
    .command('show')
    .description('one upgrade with its evidence and its operation-log entries')
    .argument('<id>', 'upgrade id')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (id: string, options: { json?: boolean }) =>
        withStore(global(), async (store) => {
          const { upgrade, assessment: stored, log } = await viewUpgrade(store, id, { withLog: true });
          // From compat on, what post-implementation reviews of earlier upgrades of its services hand to it.
          const lessons = lessonStates.has(upgrade.state) ? await lessonsFor(store, upgrade.id) : [];
          const risk = stored
            ? {
                assessedAt: stored.createdAt,
                score: stored.assessment.score,
                decision: stored.assessment.decision,
                changeClass: stored.assessment.changeClass,
                summary: stored.assessment.summary,
                decisionReason: stored.assessment.decisionReason,
                changeClassReason: stored.assessment.changeClassReason,
                ssvcInputs: stored.assessment.ssvcInputs,
                factors: stored.assessment.factors,
                candidate: stored.candidate,
                releaseNotes: stored.releaseNotes ?? null,
                // Why breaking changes and migrations are unknown (no notes cover the move); null when known.
                releaseNotesUnknown: stored.input.reversibility.releaseNotesUnknown ?? null,
              }
            : null;
          if (options.json) {
            printJson(runtime.output, { ...upgrade, risk, lessons, log });
            return 0;
          }
          const lines = [
            `${upgrade.id}  ${upgrade.ecosystem}:${upgrade.name} ${upgrade.fromVersions.join(',')} -> ${upgrade.targetVersion}`,
            `class ${upgrade.changeClass}, state ${upgrade.state}, weight ${upgrade.weight}%, version ${upgrade.version}`,
            `services: ${upgrade.services.join(', ')}`,
            ...(upgrade.members.length > 1
              ? [
                  `members (released together; ship as one change):`,
                  ...upgrade.members.map((m) => `  ${m.name} ${m.fromVersions.join(',')} -> ${m.targetVersion}${m.releaseGroup ? `  (${m.releaseGroup})` : ''}`),
                ]
              : []),
            `created by ${upgrade.createdBy} at ${upgrade.createdAt}${upgrade.postReviewRequired ? '; post-hoc review required' : ''}`,
            ...(risk && stored
              ? [
                  '',
                  `risk: ${risk.score}/100, SSVC ${risk.decision}, ${risk.changeClass} (assessed ${risk.assessedAt})`,
                  `  ${risk.decisionReason}`,
                  `  ${risk.changeClassReason}`,
                  `  candidate: ${risk.candidate.explanation}`,
                  ...releaseNotesLines(upgrade, stored),
                  '  factors:',
                  ...risk.factors.map((f) => `    ${f.contribution.toFixed(1).padStart(5)} / ${f.weight.toFixed(1).padStart(5)}  ${f.group}.${f.name} = ${String(f.value)}: ${f.reason}`),
                ]
              : []),
            '',
            'evidence:',
            ...upgrade.evidence.map((e) => `  ${e.recordedAt}  ${e.kind} ${e.outcome} (${e.stage} ${e.weight}%) by ${e.recordedBy}: ${e.summary} [${e.ref}]`),
            ...(lessons.length
              ? ['', 'from earlier reviews (uf review lessons):', ...lessons.map((l) => `  ${l.action.id} ${l.action.kind} ${l.action.service}: ${l.action.title} (owner ${l.action.owner}, due ${l.action.due}${l.overdue ? ', overdue' : ''}; review of ${l.fromUpgrade})`)]
              : []),
            '',
            'log:',
            ...log.map((e) => `  #${e.seq} ${e.at}  ${e.actor}  ${e.action}: ${e.reason}`),
          ];
          runtime.output.out(lines.join('\n'));
          return 0;
        }, 'read'),
      ),
    );

  upgrades
    .command('record')
    .description(`record evidence a gate opens on: ${manualEvidenceKinds.join(', ')} (analysis and approvals come from uf rollout)`)
    .argument('<id>', 'upgrade id')
    .requiredOption('--kind <kind>', manualEvidenceKinds.join(', '))
    .requiredOption('--summary <text>', 'what was checked and what was found')
    .option('--outcome <outcome>', `${evidenceOutcomes.join(' or ')}`, 'pass')
    .option('--ref <ref>', 'where the full evidence lives (CI run, ticket, drill report)', '-')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (id: string, options: { kind: string; summary: string; outcome: string; ref: string; json?: boolean }) => {
        checkKnown('evidence kind', '--kind', options.kind, manualEvidenceKinds, 'usage');
        checkKnown('outcome', '--outcome', options.outcome, evidenceOutcomes, 'usage');
        return withAppRoot(global(), async (root) => {
          const evidence = { kind: options.kind as ManualEvidenceKind, outcome: options.outcome as EvidenceOutcome, summary: options.summary, ref: options.ref };
          const upgrade = await recordUpgradeEvidence(root, id, evidence, currentActor());
          if (options.json) printJson(runtime.output, upgrade.evidence.at(-1));
          else runtime.output.out(`recorded ${options.kind} ${options.outcome} on ${upgrade.id} (${upgrade.state})`);
          return 0;
        });
      }),
    );

  upgrades
    .command('move')
    .description(`move an upgrade outside a rollout: ${manualEvents.join(', ')} (the rollout engine moves it through canary and rollout)`)
    .argument('<id>', 'upgrade id')
    .argument('<event>', manualEvents.join(', '))
    .requiredOption('--reason <text>', 'why; recorded in the operation log')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (id: string, event: string, options: { reason: string; json?: boolean }) => {
        checkKnown('event', 'event', event, manualEvents, 'usage');
        return withAppRoot(global(), async (root) => {
          const upgrade = await moveUpgrade(root, id, event as ManualEvent, options.reason, currentActor());
          if (options.json) printJson(runtime.output, upgrade);
          else runtime.output.out(`${upgrade.id} is ${upgrade.state}`);
          return 0;
        });
      }),
    );
}
