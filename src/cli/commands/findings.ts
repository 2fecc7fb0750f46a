import type { Command } from 'commander';
import { readLog } from '../../store/repos/operation-log.js';
import { systemClock } from '../../core/clock.js';
import { acceptFindings, defaultMaxAcceptanceDays, unacceptFindings } from '../../intake/findings/accept.js';
import { findingStates } from '../../intake/findings/state.js';
import { parseSeverities, parseStates, viewFinding, viewFindings, type FindingView } from '../../intake/findings/view.js';
import { currentActor, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

interface ListOptions {
  service?: string;
  status?: string;
  advisory?: string;
  severity?: string;
  json?: boolean;
}

interface AcceptOptions {
  advisory?: string;
  service?: string;
  reason: string;
  owner: string;
  expires: string;
  maxDays?: string;
  json?: boolean;
}

export function registerFindings(program: Command, runtime: CliRuntime): void {
  const findings = program.command('findings').description('findings per service, with risk acceptances and VEX statements applied');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  findings
    .command('list')
    .description('list findings')
    .option('--service <name>', 'only this service')
    .option('--status <states>', `only these states, comma-separated (${findingStates.join(', ')})`)
    .option('--advisory <id>', 'only this advisory (its id or an alias such as a CVE)')
    .option('--severity <levels>', 'only these severities, comma-separated (none, low, medium, high, critical)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: ListOptions) => {
        const states = parseStates(options.status);
        const severities = parseSeverities(options.severity);
        return withStore(global(), async (store) => {
          const list = await viewFindings(
            store.db,
            { ...(options.service ? { service: options.service } : {}), ...(states ? { states } : {}), ...(options.advisory ? { advisory: options.advisory } : {}), ...(severities ? { severities } : {}) },
            systemClock.now(),
          );
          if (options.json) printJson(runtime.output, list);
          else if (list.length === 0) runtime.output.out('no findings match');
          else
            runtime.output.out(
              formatTable(
                ['ID', 'SERVICE', 'ENV', 'PACKAGE', 'VERSION', 'ADVISORY', 'SEVERITY', 'STATE', 'FIXED IN'],
                list.map((f) => [f.id, f.service, f.environment, f.name, f.version, f.advisoryId, severityText(f), stateText(f), f.fixedIn.join(', ') || '-']),
              ),
            );
          return 0;
        }, 'read');
      }),
    );

  findings
    .command('show')
    .description('one finding with its advisory, versions, fix, acceptance, VEX statement and log entries')
    .argument('<id>', 'finding id (fnd_…)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (id: string, options: { json?: boolean }) =>
        withStore(global(), async (store) => {
          const finding = await viewFinding(store.db, id, systemClock.now());
          const log = [];
          for await (const entry of readLog(store.db, { subject: id })) log.push(entry);
          if (options.json) {
            printJson(runtime.output, { ...finding, log });
            return 0;
          }
          const out = (line: string) => runtime.output.out(line);
          out(`${finding.id}: ${finding.advisoryId} in ${finding.service} (${finding.environment})`);
          out(`  state:      ${stateText(finding)}`);
          out(`  advisory:   ${finding.advisoryId}${finding.advisory.aliases.length ? ` (${finding.advisory.aliases.join(', ')})` : ''}${finding.advisory.withdrawn ? ' [withdrawn]' : ''}`);
          if (finding.advisory.summary) out(`  summary:    ${finding.advisory.summary}`);
          out(`  severity:   ${severityText(finding)}${finding.advisory.severity.vector ? ` ${finding.advisory.severity.vector}` : ''}`);
          out(`  package:    ${finding.purl} (${finding.direct ? 'direct' : 'transitive'})`);
          out(`  fixed in:   ${finding.fixedIn.join(', ') || 'no fixed version known'}`);
          out(`  first seen: ${finding.firstSeenAt}, updated ${finding.updatedAt}`);
          if (finding.acceptance) {
            const a = finding.acceptance;
            out(`  acceptance: ${a.expired ? 'EXPIRED' : 'active'} until ${a.expiresAt.slice(0, 10)}, owner ${a.owner}, by ${a.acceptedBy} at ${a.acceptedAt}: ${a.reason}`);
          }
          if (finding.vex) {
            const v = finding.vex;
            out(`  VEX:        ${v.status}${v.justification ? ` (${v.justification})` : ''} for ${v.productRef}, from ${v.document} (${v.format}, imported ${v.importedAt})${v.detail ? `: ${v.detail}` : ''}`);
          }
          for (const e of log) out(`  log #${e.seq} ${e.at} ${e.actor} ${e.action}: ${e.reason}`);
          return 0;
        }, 'read'),
      ),
    );

  findings
    .command('accept')
    .description('accept the risk of a finding, or of an advisory in a service, until a date (logged)')
    .argument('[finding]', 'finding id (fnd_…); or use --advisory and --service')
    .option('--advisory <id>', 'advisory id or alias: every finding of it in --service')
    .option('--service <name>', 'the service whose findings are accepted')
    .requiredOption('--reason <text>', 'why the risk is acceptable')
    .requiredOption('--owner <who>', 'who owns the accepted risk')
    .requiredOption('--expires <YYYY-MM-DD>', `when the acceptance ends (future, at most ${defaultMaxAcceptanceDays} days away)`)
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (finding: string | undefined, options: AcceptOptions) =>
        withStore(global(), async (store) => {
          const accepted = await acceptFindings(store, {
            ...(finding !== undefined ? { finding } : {}),
            ...(options.advisory !== undefined ? { advisory: options.advisory } : {}),
            ...(options.service !== undefined ? { service: options.service } : {}),
            reason: options.reason,
            owner: options.owner,
            expires: options.expires,
            actor: currentActor(),
            now: systemClock.now(),
          });
          if (options.json) printJson(runtime.output, accepted);
          else for (const a of accepted) runtime.output.out(`accepted ${a.findingId ?? `${a.advisoryId} in ${a.service}`} until ${a.expiresAt.slice(0, 10)} (owner ${a.owner}) as ${a.id}`);
          return 0;
        }),
      ),
    );

  findings
    .command('unaccept')
    .description('revoke the acceptances covering a finding, or an advisory in a service (logged)')
    .argument('[finding]', 'finding id (fnd_…); or use --advisory and --service')
    .option('--advisory <id>', 'advisory id or alias')
    .option('--service <name>', 'service')
    .requiredOption('--reason <text>', 'why the acceptance is withdrawn')
    .action(
      action(runtime, (finding: string | undefined, options: { advisory?: string; service?: string; reason: string }) =>
        withStore(global(), async (store) => {
          const revoked = await unacceptFindings(store, {
            ...(finding !== undefined ? { finding } : {}),
            ...(options.advisory !== undefined ? { advisory: options.advisory } : {}),
            ...(options.service !== undefined ? { service: options.service } : {}),
            reason: options.reason,
            actor: currentActor(),
            now: systemClock.now(),
          });
          for (const a of revoked) runtime.output.out(`revoked ${a.id} (${a.findingId ?? `${a.advisoryId} in ${a.service}`})`);
          return 0;
        }),
      ),
    );
}

function severityText(f: FindingView): string {
  const s = f.advisory.severity;
  return s.score !== undefined ? `${s.score} ${s.label ?? ''}`.trim() : (s.label ?? '-');
}

function stateText(f: FindingView): string {
  if (f.state === 'accepted' && f.acceptance) return `accepted until ${f.acceptance.expiresAt.slice(0, 10)}`;
  if (f.state === 'open' && f.acceptance?.expired) return `open (acceptance expired ${f.acceptance.expiresAt.slice(0, 10)})`;
  if ((f.state === 'not_affected' || f.state === 'fixed') && f.vex) return `${f.state} (VEX${f.vex.justification ? `: ${f.vex.justification}` : ''})`;
  if (f.state === 'open' && f.vex) return `open (VEX: ${f.vex.status})`;
  return f.state;
}
