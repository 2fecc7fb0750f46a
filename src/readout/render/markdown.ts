import { formatMoney, formatNumber } from '../economics/model.js';
import type { PeriodReadout, Readout, UpgradeReadout } from '../types.js';
import { costHeadline, day, endOfLifeText, epssText, kevText, metricChange, sectionTitles, upgradeTitle } from './text.js';

/** A readout as Markdown: the four sections, tables of figures with their sources, and what is missing. */
export function renderMarkdown(readout: Readout): string {
  return (readout.kind === 'upgrade' ? upgradeMarkdown(readout) : periodMarkdown(readout)).join('\n') + '\n';
}

function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(headers: string[], rows: (string | number)[][]): string[] {
  return [`| ${headers.map(cell).join(' | ')} |`, `|${headers.map(() => ' --- |').join('')}`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

function missingLines(missing: readonly string[]): string[] {
  return missing.map((m) => `- Not known: ${m}.`);
}

function upgradeMarkdown(r: UpgradeReadout): string[] {
  return [`# Readout: ${upgradeTitle(r)}`, '', ...statusLine(r), '', ...upgradeSections(r, '##')];
}

function statusLine(r: UpgradeReadout): string[] {
  const u = r.upgrade;
  const ended = u.completedAt ? `, completed ${day(u.completedAt)}` : '';
  return [`Generated ${r.generatedAt}. State: ${u.state}${ended}. Change class: ${u.changeClass}. Created ${day(u.createdAt)}.`];
}

function upgradeSections(r: UpgradeReadout, h: string): string[] {
  const lines: string[] = [];
  lines.push(`${h} ${sectionTitles.whatChanged}`, '');
  lines.push(...table(['package', 'from', 'to'], r.whatChanged.versions.map((v) => [v.name, v.from.join(', '), v.to])), '');
  lines.push(`Services: ${r.whatChanged.services.join(', ') || 'none listed'}.`);
  if (r.whatChanged.rolloutServices.length > 0) lines.push(`Rollouts: ${r.whatChanged.rolloutServices.map((x) => `${x.service} (${x.state}, attempt ${x.attempt})`).join(', ')}.`);
  lines.push('');

  lines.push(`${h} ${sectionTitles.whyNow}`, '');
  const a = r.whyNow.assessment;
  if (a) {
    lines.push(`Risk assessment ${a.id} (${day(a.at)}): score ${a.score}/100, SSVC decision ${a.decision}, change class ${a.changeClass}.`, '');
    lines.push(`Decision: ${a.decisionReason}`, '');
  }
  if (r.whyNow.advisories.length > 0) {
    lines.push(...table(['advisory', 'severity', 'EPSS', 'CISA KEV'], r.whyNow.advisories.map((x) => [x.label, x.severity, epssText(x.epss), kevText(x.kev)])), '');
  }
  const eol = endOfLifeText(r.whyNow.endOfLife);
  if (eol) lines.push(`Version in use: ${eol}.`, '');
  lines.push(...missingLines(r.whyNow.missing));
  if (r.whyNow.missing.length > 0) lines.push('');

  lines.push(`${h} ${sectionTitles.riskReduced}`, '');
  const rr = r.riskReduced;
  lines.push(rr.before ? `- Risk score before: ${rr.before.score}/100 (${rr.before.source}).` : '- Not known: risk score before: no risk assessment is stored.');
  lines.push(rr.after ? `- Risk score after: ${rr.after.score}/100 (${rr.after.source}).` : `- Not known: risk score after: ${rr.afterMissing ?? 'not computed'}.`);
  lines.push(`- Findings of the advisories it fixes, on its services: ${rr.findings.total}, open now: ${rr.findings.open}.`);
  lines.push(`- Avoided downtime cost: ${costHeadline(rr.avoidedCost)}.`, '');
  if (rr.avoidedCost.inputs.length > 0) lines.push(...table(['input', 'value', 'source'], rr.avoidedCost.inputs.map((i) => [i.name, i.value, i.source])), '');
  if (rr.avoidedCost.status === 'unknown') lines.push(...rr.avoidedCost.missing.map((m) => `- Missing: ${m}.`), '');

  lines.push(`${h} ${sectionTitles.businessMetrics}`, '');
  const bm = r.businessMetrics;
  if (bm.windows) lines.push(`Compared: ${day(bm.windows.before.from)} to ${day(bm.windows.before.to)} before, ${day(bm.windows.after.from)} to ${day(bm.windows.after.to)} after.`, '');
  if (bm.baselines) {
    lines.push(`From ${bm.baselines.source}:`, '');
    lines.push(...table(['service', 'metric', 'kind', 'before', 'after', 'change'], bm.baselines.metrics.map((m) => [m.service, m.metric, m.kind, `${formatNumber(m.before)} ${m.unit}`, `${formatNumber(m.after)} ${m.unit}`, metricChange(m)])), '');
  }
  if (bm.incidents) lines.push(...table(['service', 'incidents before', 'incidents after', 'source'], bm.incidents.map((i) => [i.service, i.before, i.after, i.source])), '');
  lines.push(...missingLines(bm.missing));
  return lines;
}

function periodMarkdown(p: PeriodReadout): string[] {
  const t = p.totals;
  const lines = [`# Readout: ${p.period.label}`, '', `Generated ${p.generatedAt}. Period ${day(p.period.from)} to ${day(p.period.to)} (end exclusive).`, ''];
  lines.push(`## ${sectionTitles.whatChanged}`, '');
  lines.push(`${plural(t.done, 'upgrade')} done, ${t.rolledBack} rolled back, ${p.upgrades.length - t.done - t.rolledBack} verifying.`, '');
  if (p.upgrades.length > 0) {
    lines.push(...table(['upgrade', 'package', 'from', 'to', 'services', 'state'], p.upgrades.flatMap((r) => r.whatChanged.versions.map((v) => [r.upgrade.id, v.name, v.from.join(', '), v.to, r.whatChanged.services.join(', '), r.upgrade.state]))), '');
  }
  lines.push(`## ${sectionTitles.whyNow}`, '');
  lines.push(`${plural(t.advisoriesFixed, 'advisory', 'advisories')} fixed by completed upgrades, ${t.kevFixed} of them listed in CISA KEV.`, '');
  const advisories = p.upgrades.flatMap((r) => r.whyNow.advisories.map((a) => [r.upgrade.id, a.label, a.severity, epssText(a.epss), kevText(a.kev)]));
  if (advisories.length > 0) lines.push(...table(['upgrade', 'advisory', 'severity', 'EPSS', 'CISA KEV'], advisories), '');
  const eols = p.upgrades.flatMap((r) => {
    const text = endOfLifeText(r.whyNow.endOfLife);
    return text ? [`- ${r.upgrade.id}: ${text}.`] : [];
  });
  if (eols.length > 0) lines.push(...eols, '');
  lines.push(`## ${sectionTitles.riskReduced}`, '');
  lines.push(`- Risk points removed by completed upgrades: ${t.riskPointsRemoved}${t.riskUnknownFor.length > 0 ? ` (not counted, risk after unknown: ${t.riskUnknownFor.join(', ')})` : ''}.`);
  const cost = t.avoidedCost;
  lines.push(
    cost.amount !== undefined
      ? `- Avoided downtime cost: ${formatMoney(cost.amount, cost.currency)} over ${plural(cost.known, 'upgrade')} (each expected over the 30 days after its assessment; inputs per upgrade below).`
      : cost.unknownFor.length > 0
        ? `- Avoided downtime cost: unknown: inputs missing for ${cost.unknownFor.join(', ')} (see each upgrade below).`
        : '- Avoided downtime cost: no completed upgrade fixed an advisory in this period.',
    '',
  );
  if (p.upgrades.length > 0) lines.push(...table(['upgrade', 'risk before', 'risk after', 'avoided cost'], p.upgrades.map((r) => [r.upgrade.id, r.riskReduced.before?.score ?? 'unknown', r.riskReduced.after?.score ?? 'unknown', costHeadline(r.riskReduced.avoidedCost)])), '');
  lines.push(`## ${sectionTitles.businessMetrics}`, '');
  if (p.dora) {
    lines.push(`DORA, from ${p.dora.source}:`, '');
    const v = (n: number | undefined, unit = '') => (n === undefined ? 'n/a' : `${formatNumber(Math.round(n * 100) / 100)}${unit}`);
    lines.push(...table(['bucket', 'deploys/week', 'lead time (h)', 'change fail rate', 'recovery (h)', 'rework rate'], p.dora.points.map((d) => [d.label, v(d.deploymentsPerWeek), v(d.leadTimeHours), v(d.changeFailRate === undefined ? undefined : d.changeFailRate * 100, '%'), v(d.recoveryHours), v(d.reworkRate === undefined ? undefined : d.reworkRate * 100, '%')])), '');
  }
  const deltas = p.upgrades.flatMap((r) => (r.businessMetrics.baselines?.metrics ?? []).map((m) => [r.upgrade.id, m.service, m.metric, metricChange(m)]));
  if (deltas.length > 0) lines.push(...table(['upgrade', 'service', 'metric', 'change'], deltas), '');
  lines.push(...missingLines(p.missing));
  const perUpgrade = [...new Set(p.upgrades.flatMap((r) => r.businessMetrics.missing))];
  lines.push(...missingLines(perUpgrade));
  for (const r of p.upgrades) lines.push('', `## Upgrade ${upgradeTitle(r)}`, '', ...statusLine(r), '', ...upgradeSections(r, '###'));
  return lines;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
