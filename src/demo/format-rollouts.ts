import type { DemoRolloutsSummary } from './rollouts.js';

/** The stage's lines for the demo's summary: each rollout's outcome and its decisions from the log. */
export function formatRollouts(summary: DemoRolloutsSummary): string[] {
  const lines = [
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
