import type { DemoRolloutsSummary } from './rollouts.js';

/** The stage's lines for the demo's summary: each rollout's outcome and its decisions from the log. */
export function formatRollouts(summary: DemoRolloutsSummary): string[] {
  const blocked = summary.blocked;
  const lines = [
    '  compatibility matrices (declared plugin ranges, API contract diff):',
    ...summary.matrices.map((m) => `    ${m.service} ${m.component}: ${m.verdict}, ${m.cells} cells over ${m.consumers} consumers: its canary may start`),
    `    ${blocked.component} ${blocked.from} -> ${blocked.to} on ${blocked.services.join(', ')}: ${blocked.verdict}, ${blocked.cells} cells  [${blocked.met ? 'as expected: the gate stays closed' : 'NOT as expected: red cells in declared-ranges and api-contract should close the gate'}]`,
    ...blocked.blocking.map((b) => `      ${b}`),
    `      start_canary: ${blocked.gate ?? 'allowed (it should have been refused)'}`,
    `      uf --config <factory.yaml> compat show ${blocked.upgradeId}`,
    '',
    summary.ran
      ? `  rollouts: three upgrades through the built-in routers, ${summary.ratePerSecond} requests/s each from sticky users, a fresh baseline beside each canary (${summary.seconds.toFixed(0)} s):`
      : '  rollouts (run by an earlier uf demo in this workspace):',
  ];
  for (const r of summary.rollouts) {
    lines.push(`    ${r.service} ${r.component} ${r.from} -> ${r.to} (${r.premise})`);
    lines.push(`      ${r.outcome}  [${r.met ? 'as expected' : `NOT as expected: ${r.expected}`}]; upgrade ${r.upgradeState}`);
    if (r.lastAnalysis) lines.push(`      last analysis (${r.lastAnalysis.outcome} at ${r.lastAnalysis.weight}%), canary: ${r.lastAnalysis.figures}`);
    lines.push(`      decisions of rollout ${r.rolloutId} (operation log):`);
    for (const d of r.decisions) lines.push(`        ${d.at.slice(11, 19)} ${d.actor.padEnd(27)} ${d.text}`);
  }
  if (summary.load) {
    const counts = Object.entries(summary.load).map(([service, c]) => `${service} ${c.sent} sent, ${c.failed} failed, ${c.skipped} skipped`);
    lines.push(`    load: ${counts.join('; ')}`);
  }
  lines.push(`    self-approval: ${summary.selfApproval ? summary.selfApproval.text : 'NOT seen'}`);
  lines.push(`    operation log: ${summary.log.entries} entries, chain ${summary.log.verified ? 'verified' : 'BROKEN'}`);
  return lines;
}
