import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInventory } from '../../catalog/inventory/index.js';
import { UfError, isUfError } from '../../core/errors.js';
import { parseCvss } from '../../risk/index.js';
import { planCandidates } from '../matching/candidates.js';
import { buildAdvisoryIndex } from '../matching/index-advisories.js';
import { matchComponents } from '../matching/match.js';
import type { Advisory } from '../osv/types.js';
import { advisorySourceFor } from '../sources/index.js';

export interface ScanFinding {
  advisory: string;
  aliases: string[];
  summary: string;
  severity: { score?: number; label?: string; vector?: string };
  purl: string;
  name: string;
  version: string;
  direct: boolean;
  fixedIn: string[];
}

export interface ScanResult {
  inventory: { file: string; format: string; components: number };
  advisories: { read: number; problems: string[] };
  findings: ScanFinding[];
  fixes: { component: string; currentVersions: string[]; minimalFix?: string; advisories: string[]; explanation: string }[];
  unsupportedEcosystems: { ecosystem: string; components: number }[];
}

/** `uf scan`: an inventory against OSV data, without a database, like an offline scanner. */
export async function scanInventory(inventoryFile: string, advisoriesSpec: string, cacheDir = join(tmpdir(), 'uf-scan-cache')): Promise<ScanResult> {
  let text: string;
  try {
    text = readFileSync(inventoryFile, 'utf8');
  } catch (error) {
    throw new UfError('usage', `cannot read inventory: ${(error as Error).message}`, { file: inventoryFile });
  }
  const inventory = parseInventory(text, inventoryFile);
  const advisories: Advisory[] = [];
  const problems: string[] = [];
  for await (const event of advisorySourceFor(advisoriesSpec, { cacheDir }).read()) {
    if (event.type === 'error') {
      problems.push(event.error.describe());
      continue;
    }
    advisories.push(event.advisory);
    // Versions the ecosystem cannot read: the record is kept (matched conservatively) and reported.
    for (const warning of event.warnings ?? []) problems.push(warning.describe());
  }
  const index = buildAdvisoryIndex(advisories);
  const report = matchComponents(index, inventory.components);
  const findings = report.matches
    .map((m) => ({
      advisory: m.advisory.id,
      aliases: m.advisory.aliases,
      summary: m.advisory.summary?.trim() ?? '',
      severity: severityOf(m.advisory),
      purl: m.component.purl,
      name: m.component.name,
      version: m.component.version,
      direct: m.component.direct,
      fixedIn: m.fixedIn,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version) || a.advisory.localeCompare(b.advisory));
  const fixes = planCandidates(report.matches, index, () => [], { allowMajor: true }).map((c) => ({
    component: `${c.ecosystem}:${c.name}`,
    currentVersions: c.currentVersions,
    ...(c.minimalFix !== undefined ? { minimalFix: c.minimalFix } : {}),
    advisories: c.advisories,
    explanation: c.explanation,
  }));
  return {
    inventory: { file: inventoryFile, format: `${inventory.format} ${inventory.formatVersion}`, components: inventory.components.length },
    advisories: { read: advisories.length, problems },
    findings,
    fixes,
    unsupportedEcosystems: report.unsupported,
  };
}

/** The highest scorable CVSS base score among the record's vectors, else the database's label. */
function severityOf(advisory: Advisory): ScanFinding['severity'] {
  let best: ScanFinding['severity'] = {};
  for (const s of [...advisory.severity, ...advisory.affected.flatMap((a) => a.severity)]) {
    if (s.type !== 'CVSS_V3' && s.type !== 'CVSS_V4') continue;
    try {
      const parsed = parseCvss(s.score);
      if (best.score === undefined || parsed.baseScore > best.score) best = { score: parsed.baseScore, label: parsed.severity, vector: s.score };
    } catch (error) {
      if (!isUfError(error)) throw error;
    }
  }
  if (best.score === undefined && advisory.databaseSeverity) best = { label: advisory.databaseSeverity };
  return best;
}
