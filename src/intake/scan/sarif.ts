import { relative, sep } from 'node:path';
import type { ScanFinding, ScanResult } from './index.js';
import { scoreForLevel, type SeverityLevel } from '../../risk/cvss/index.js';

/**
 * SARIF 2.1.0 for code-scanning dashboards (GitHub reads `security-severity` on the rule to rank
 * alerts). One rule per advisory, one result per finding, located in the inventory file (at the line
 * naming the component) with the PURL as logical location. An incomplete scan is reported as a
 * failed invocation with one notification per unreadable input, so the dashboard does not read
 * "no alerts" as "clean".
 */
export function renderSarif(result: ScanResult, options: { toolVersion: string; baseDir?: string }): object {
  const uri = artifactUri(result.inventory.file, options.baseDir);
  const advisories = new Map<string, ScanFinding>();
  for (const f of result.findings) if (!advisories.has(f.advisory)) advisories.set(f.advisory, f);
  const ruleIds = [...advisories.keys()].sort();
  const rules = ruleIds.map((id) => rule(advisories.get(id)!));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'uf', fullName: 'Upgrade Factory scan', version: options.toolVersion, informationUri: 'https://osv.dev', rules } },
        invocations: [
          {
            executionSuccessful: result.complete,
            toolExecutionNotifications: result.advisories.unreadable.map((p) => ({
              level: 'error',
              message: { text: `skipped ${[p.file, p.record].filter(Boolean).join(': ')}: ${p.message}` },
              ...(p.file !== undefined ? { locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(p.file, options.baseDir) } } }] } : {}),
            })),
          },
        ],
        artifacts: [{ location: { uri } }],
        results: result.findings.map((f) => ({
          ruleId: f.advisory,
          ruleIndex: ruleIds.indexOf(f.advisory),
          level: levelOf(f.severity.level),
          message: { text: `${f.name} ${f.version} is affected by ${f.advisory}${f.summary ? `: ${f.summary}` : ''}. ${f.fixedIn.length > 0 ? `Fixed in ${f.fixedIn.join(', ')}.` : 'No fixed version is known.'}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri, index: 0 }, region: { startLine: f.line ?? 1 } },
              logicalLocations: [{ fullyQualifiedName: f.purl, kind: 'module' }],
            },
          ],
          partialFingerprints: { 'ufFinding/v1': `${f.advisory}|${f.purl}` },
          properties: { purl: f.purl, fixedIn: f.fixedIn, direct: f.direct, ssvcDecision: f.ssvc.decision },
        })),
      },
    ],
  };
}

function rule(f: ScanFinding): object {
  const score = f.severity.score ?? (f.severity.level !== undefined ? scoreForLevel(f.severity.level) : undefined);
  const aliases = f.aliases.length > 0 ? ` (${f.aliases.join(', ')})` : '';
  const full = `${f.advisory}${aliases}: ${f.summary || 'no summary given'}${f.severity.vector ? ` CVSS ${f.severity.vector}.` : ''}`;
  return {
    id: f.advisory,
    name: f.advisory.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: f.summary || f.advisory },
    fullDescription: { text: full },
    helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(f.advisory)}`,
    help: { text: full, markdown: `[${f.advisory}](https://osv.dev/vulnerability/${encodeURIComponent(f.advisory)})${aliases}: ${f.summary || 'no summary given'}` },
    defaultConfiguration: { level: levelOf(f.severity.level) },
    properties: {
      tags: ['security', 'vulnerability', ...f.aliases],
      // GitHub ranks by this: a CVSS-like number as a string ("9.8"); absent when nothing states one.
      ...(score !== undefined ? { 'security-severity': score.toFixed(1) } : {}),
    },
  };
}

/** critical and high are errors, medium warnings, low and none notes; unknown counts as a warning. */
function levelOf(level: SeverityLevel | undefined): 'error' | 'warning' | 'note' {
  if (level === 'critical' || level === 'high') return 'error';
  if (level === 'low' || level === 'none') return 'note';
  return 'warning';
}

/** Relative to the working directory when inside it (what code scanning expects), with `/` separators. */
function artifactUri(file: string, baseDir = process.cwd()): string {
  const rel = relative(baseDir, file);
  const chosen = rel.startsWith('..') || rel === '' ? file : rel;
  return chosen.split(sep).join('/');
}
