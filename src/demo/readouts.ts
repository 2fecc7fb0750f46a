import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReadout, readoutContext, readoutText } from '../app/readout.js';
import type { AppRoot } from '../app/root.js';
import { quarterOf } from '../core/period.js';
import { doraReport } from '../verify/dora/load.js';
import type { DoraReport } from '../verify/dora/types.js';

/** What the demo wrote after its rollouts: the readouts' files and the DORA figures of its history. */
export interface DemoReadouts {
  /** The upgrade readouts (one per upgrade that reached done), then the period's. */
  files: { what: string; markdown: string; html: string }[];
  period: string;
  dora: DoraReport;
}

/**
 * Writes the executive readout of every upgrade the demo's rollouts took to done, and of the
 * current quarter, as Markdown and HTML under `<workspace>/readouts/`, and computes DORA's five
 * figures for the demo's history. Every figure comes from the demo's store.
 */
export async function writeDemoReadouts(root: Pick<AppRoot, 'store' | 'loaded' | 'clock'>, workspace: string, doneUpgrades: readonly string[]): Promise<DemoReadouts> {
  const dir = join(workspace, 'readouts');
  mkdirSync(dir, { recursive: true });
  const context = readoutContext(root);
  const period = quarterOf(root.clock.now());
  const files: DemoReadouts['files'] = [];
  const write = async (what: string, name: string, target: { upgradeId: string } | { period: string }) => {
    const readout = await buildReadout(context, target);
    const markdown = join(dir, `${name}.md`);
    const html = join(dir, `${name}.html`);
    writeFileSync(markdown, readoutText(readout, 'md'));
    writeFileSync(html, readoutText(readout, 'html'));
    files.push({ what, markdown, html });
  };
  for (const upgradeId of doneUpgrades) await write(`upgrade ${upgradeId}`, upgradeId, { upgradeId });
  await write(`period ${period}`, `period-${period}`, { period });
  return { files, period, dora: await doraReport(root.store, { period }) };
}

/** The demo's lines for its readouts and DORA figures. */
export function formatDemoReadouts(readouts: DemoReadouts): string[] {
  const d = readouts.dora;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 1000) / 10}%`);
  const hours = (v: number | null) => (v === null ? 'n/a' : v < 1 ? `${Math.round(v * 3600)}s` : `${Math.round(v * 10) / 10}h`);
  return [
    `  executive readouts (four sections, figures from the store):`,
    ...readouts.files.map((f) => `    ${f.what}: ${f.markdown} (and .html)`),
    `  DORA for ${readouts.period} (the demo's history):`,
    `    deployments ${d.deploymentFrequency.deployments} (${d.deploymentFrequency.reachedFullTraffic} reached 100%), ${Math.round(d.deploymentFrequency.perWeek * 100) / 100} per week`,
    `    change lead time median ${hours(d.changeLeadTime.medianHours)}${d.changeLeadTime.headline ? ` (from ${d.changeLeadTime.headline})` : ''}; change fail rate ${pct(d.changeFailRate.value)} (${d.changeFailRate.numerator}/${d.changeFailRate.denominator})`,
    `    failed deployment recovery time median ${hours(d.failedDeploymentRecoveryTime.medianHours)}; deployment rework rate ${pct(d.deploymentReworkRate.value)} (${d.deploymentReworkRate.numerator}/${d.deploymentReworkRate.denominator})`,
  ];
}
