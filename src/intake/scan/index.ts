import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedInventory } from '../../core/inventory.js';
import { UfError, isUfError } from '../../core/errors.js';
import { decideSsvc } from '../../risk/decision.js';
import { readAdvisory } from '../../risk/factors/advisory.js';
import { defaultRiskPolicy, parseCvss } from '../../risk/index.js';
import type { CisaDecision, SsvcMissionWellbeing } from '../../risk/ssvc/types.js';
import { inputLimit, readTextInputSync, type InputLimits } from '../../core/input/index.js';
import { planCandidates } from '../matching/candidates.js';
import { buildAdvisoryIndex } from '../matching/index-advisories.js';
import { matchComponents } from '../matching/match.js';
import type { Advisory } from '../osv/types.js';
import { packageLabel } from '../../ecosystems/names.js';
import { fixedAdvisories } from '../pipeline/risk-input.js';
import type { IntakeSources } from '../pipeline/read-sources.js';
import { severityLevelOf, type SeverityLevel } from '../../risk/cvss/index.js';

export interface ScanFinding {
  advisory: string;
  aliases: string[];
  summary: string;
  /** `level` is the normalised label (GHSA `MODERATE` reads `medium`); absent when nothing states one. */
  severity: { score?: number; label?: string; vector?: string; level?: SeverityLevel };
  /** SSVC decision taken offline: KEV only when `--kev` is given, mission and well-being as `--mission` says. */
  ssvc: { decision: CisaDecision; reason: string };
  purl: string;
  name: string;
  version: string;
  direct: boolean;
  fixedIn: string[];
  /** Line of the inventory where the component's PURL first appears, for SARIF and CI annotations. */
  line?: number;
}

/** One input that could not be read: the result is built without it and says so. */
export interface ScanProblem {
  code: string;
  message: string;
  file?: string;
  record?: string;
}

export interface ScanResult {
  inventory: { file: string; format: string; components: number; skipped: number };
  advisories: { read: number; problems: string[]; unreadable: ScanProblem[] };
  /** false when some advisory file, record or KEV entry could not be read: the result may miss findings. */
  complete: boolean;
  findings: ScanFinding[];
  fixes: { component: string; currentVersions: string[]; minimalFix?: string; advisories: string[]; explanation: string }[];
  unsupportedEcosystems: { ecosystem: string; components: number }[];
}

/** What `uf scan` reads through, handed down by the composition root (`app/adapters.ts`). */
export interface ScanAdapters {
  /** The OSV source for a file, folder, zip export or URL. */
  osv: IntakeSources['osv'];
  kev: IntakeSources['kev'];
  /** Reads an inventory of any supported format, telling the format itself. */
  readInventory(text: string, file: string): ParsedInventory;
}

export interface ScanOptions {
  cacheDir?: string;
  /** CISA KEV catalog (file or URL): makes exploitation `active` for listed CVEs. */
  kev?: string;
  /** SSVC mission and well-being of the scanned service; offline nothing says, so `medium` by default. */
  mission?: SsvcMissionWellbeing;
  /** Size limits for the inventory and each advisory document; defaults when not given. */
  limits?: Partial<InputLimits>;
}

/** `uf scan`: an inventory against OSV data, without a database, like an offline scanner. */
export async function scanInventory(adapters: ScanAdapters, inventoryFile: string, advisoriesSpec: string, options: ScanOptions = {}): Promise<ScanResult> {
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'uf-scan-cache');
  const limits = options.limits ?? {};
  let text: string;
  try {
    text = readTextInputSync(inventoryFile, inputLimit('inventory', limits));
  } catch (error) {
    if (isUfError(error)) throw error;
    throw new UfError('usage', `cannot read inventory: ${(error as Error).message}`, { file: inventoryFile });
  }
  const inventory = adapters.readInventory(text, inventoryFile);
  const advisories: Advisory[] = [];
  const unreadable: ScanProblem[] = [];
  try {
    for await (const event of adapters.osv(advisoriesSpec, { cacheDir, limits }).read()) {
      if (event.type === 'error') {
        unreadable.push(problemOf(event.error));
        continue;
      }
      advisories.push(event.advisory);
      // Versions the ecosystem cannot read: the record is kept (matched conservatively) and reported.
      for (const warning of event.warnings ?? []) unreadable.push(problemOf(warning));
    }
  } catch (error) {
    // A source out of reach (missing path, unreachable URL, not a zip) is bad input to this
    // command: exit 2, never a clean or an "affected" verdict built on nothing.
    if (isUfError(error)) throw new UfError('usage', `cannot read advisories: ${error.message}`, error.location ?? { file: advisoriesSpec }, { cause: error });
    throw error;
  }
  const kev = options.kev === undefined ? new Map<string, { dateAdded: string; knownRansomware: boolean }>() : await readKev(adapters, options.kev, cacheDir, limits, unreadable);
  const mission = options.mission ?? 'medium';
  const index = buildAdvisoryIndex(advisories);
  const report = matchComponents(index, inventory.components);
  const lines = lineIndex(text);
  const findings = report.matches
    .map((m) => ({
      advisory: m.advisory.id,
      aliases: m.advisory.aliases,
      summary: m.advisory.summary?.trim() ?? '',
      severity: advisorySeverity(m.advisory),
      ssvc: ssvcOf(m.advisory, kev, mission),
      purl: m.component.purl,
      name: m.component.name,
      version: m.component.version,
      direct: m.component.direct,
      fixedIn: m.fixedIn,
      ...lines(m.component.purl, m.component.name),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version) || a.advisory.localeCompare(b.advisory));
  const fixes = planCandidates(report.matches, index, () => [], { allowMajor: true }).map((c) => ({
    component: packageLabel(c.ecosystem, c.name),
    currentVersions: c.currentVersions,
    ...(c.minimalFix !== undefined ? { minimalFix: c.minimalFix } : {}),
    advisories: c.advisories,
    explanation: c.explanation,
  }));
  return {
    inventory: { file: inventoryFile, format: `${inventory.format} ${inventory.formatVersion}`, components: inventory.components.length, skipped: inventory.skipped.length },
    advisories: { read: advisories.length, problems: unreadable.map(describeProblem), unreadable },
    complete: unreadable.length === 0,
    findings,
    fixes,
    unsupportedEcosystems: report.unsupported,
  };
}

function problemOf(error: UfError): ScanProblem {
  return {
    code: error.code,
    message: error.message,
    ...(error.location?.file !== undefined ? { file: error.location.file } : {}),
    ...(error.location?.record !== undefined ? { record: error.location.record } : {}),
  };
}

function describeProblem(problem: ScanProblem): string {
  return [problem.file, problem.record, problem.message].filter((part) => part !== undefined && part !== '').join(': ');
}

async function readKev(adapters: ScanAdapters, spec: string, cacheDir: string, limits: Partial<InputLimits>, unreadable: ScanProblem[]): Promise<Map<string, { dateAdded: string; knownRansomware: boolean }>> {
  try {
    const catalog = await adapters.kev(spec, { cacheDir, limit: inputLimit('kev', limits) });
    unreadable.push(...catalog.errors.map(problemOf));
    return new Map([...catalog.entries].map(([cve, e]) => [cve, { dateAdded: e.dateAdded, knownRansomware: e.knownRansomware }]));
  } catch (error) {
    if (isUfError(error)) throw new UfError('usage', `cannot read the KEV catalog: ${error.message}`, error.location ?? { file: spec }, { cause: error });
    throw error;
  }
}

function ssvcOf(advisory: Advisory, kev: Map<string, { dateAdded: string; knownRansomware: boolean }>, mission: SsvcMissionWellbeing): ScanFinding['ssvc'] {
  const evidence = readAdvisory(fixedAdvisories([advisory], () => undefined, { kev, epss: new Map() })[0]!, defaultRiskPolicy);
  const outcome = decideSsvc([evidence], { value: mission, because: 'as given to uf scan (--mission, default medium)' });
  return { decision: outcome.decision, reason: outcome.reason };
}

/** Finds the first line naming a component (its PURL, else its quoted name); 1-based. */
function lineIndex(text: string): (purl: string, name: string) => { line?: number } {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  return (purl, name) => {
    let offset = purl === '' ? -1 : text.indexOf(purl);
    if (offset === -1) offset = text.indexOf(JSON.stringify(name));
    return offset === -1 ? {} : { line: lineAt(offset) };
  };
}

/** The highest scorable CVSS base score among the record's vectors, else the database's label. */
export function advisorySeverity(advisory: Advisory): ScanFinding['severity'] {
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
  const level = severityLevelOf(best.label);
  return level === undefined ? best : { ...best, level };
}
