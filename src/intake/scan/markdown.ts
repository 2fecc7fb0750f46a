import type { ScanResult } from './index.js';

/** A Markdown report for CI job summaries and pull-request comments. */
export function renderMarkdown(result: ScanResult): string {
  const out: string[] = [`## uf scan: ${result.inventory.file}`, ''];
  out.push(`${result.inventory.components} components (${result.inventory.format}) against ${result.advisories.read} advisories.`, '');
  if (!result.complete) {
    out.push(`**Incomplete:** ${result.advisories.unreadable.length} advisory inputs could not be read; findings may be missing.`, '');
    for (const p of result.advisories.problems) out.push(`- ${escape(p)}`);
    out.push('');
  }
  if (result.findings.length === 0) {
    out.push(result.complete ? 'No known vulnerabilities.' : 'No known vulnerabilities in what could be read.');
  } else {
    out.push('| package | version | advisory | severity | SSVC | fixed in | summary |', '|---|---|---|---|---|---|---|');
    for (const f of result.findings) {
      const severity = f.severity.score !== undefined ? `${f.severity.score} ${f.severity.label ?? ''}`.trim() : (f.severity.label ?? '-');
      out.push(`| ${escape(f.name)} | ${escape(f.version)} | [${f.advisory}](https://osv.dev/vulnerability/${encodeURIComponent(f.advisory)}) | ${severity} | ${f.ssvc.decision} | ${escape(f.fixedIn.join(', ') || '-')} | ${escape(f.summary)} |`);
    }
    out.push('', '### Fixes', '');
    for (const fix of result.fixes) out.push(`- ${escape(fix.component)} ${escape(fix.currentVersions.join(', '))} → ${escape(fix.minimalFix ?? 'no fixed version known')}`);
  }
  for (const u of result.unsupportedEcosystems) out.push('', `Note: ${u.components} ${u.ecosystem} components not checked (no version scheme for ${u.ecosystem}).`);
  return out.join('\n') + '\n';
}

/** Table cells must not break the row: pipes escaped, newlines flattened. */
function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
