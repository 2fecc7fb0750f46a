import { parseCvss, scoreForLevel, severityLevelOf, type CvssResult } from '../cvss/index.js';
import type { RiskPolicy } from '../../config/sections/risk-policy.js';
import type { SsvcAutomatable, SsvcExploitation, SsvcTechnicalImpact } from '../ssvc/types.js';
import type { FixedAdvisory } from '../types.js';

/** One fixed advisory, read once: its scorable vectors, its severity, and its own SSVC decision points. */
export interface AdvisoryEvidence {
  advisory: FixedAdvisory;
  /** `GHSA-… (CVE-…)` for explanations. */
  label: string;
  vectors: CvssResult[];
  ignoredVectors: { vector: string; problem: string }[];
  /** Highest base score of its vectors, else the score its GHSA label stands for, else undefined. */
  severityScore: number | undefined;
  severitySource: string;
  exploitation: { value: SsvcExploitation; because: string };
  automatable: { value: SsvcAutomatable; because: string };
  technicalImpact: { value: SsvcTechnicalImpact; because: string };
}

export function readAdvisory(advisory: FixedAdvisory, policy: RiskPolicy): AdvisoryEvidence {
  const label = advisoryLabel(advisory);
  const vectors: CvssResult[] = [];
  const ignoredVectors: AdvisoryEvidence['ignoredVectors'] = [];
  for (const vector of advisory.cvssVectors) {
    try {
      vectors.push(parseCvss(vector));
    } catch (error) {
      ignoredVectors.push({ vector, problem: (error as Error).message });
    }
  }
  const severity = severityOf(vectors, advisory.severityLabel);
  return {
    advisory,
    label,
    vectors,
    ignoredVectors,
    severityScore: severity.score,
    severitySource: severity.source,
    exploitation: exploitationOf(advisory, vectors, policy),
    automatable: automatableOf(vectors),
    technicalImpact: technicalImpactOf(vectors),
  };
}

export function advisoryLabel(advisory: FixedAdvisory): string {
  const cve = advisory.aliases.find((alias) => alias.startsWith('CVE-'));
  return cve !== undefined && cve !== advisory.id ? `${advisory.id} (${cve})` : advisory.id;
}

function severityOf(vectors: CvssResult[], severityLabel: string | undefined): { score: number | undefined; source: string } {
  // The highest of several vectors (an advisory often carries both v3.1 and v4.0): the conservative reading.
  const best = vectors.reduce<CvssResult | undefined>((top, result) => (top === undefined || result.baseScore > top.baseScore ? result : top), undefined);
  if (best) return { score: best.baseScore, source: `CVSS ${best.version} base ${best.baseScore.toFixed(1)} (${best.severity}) from ${best.vector}` };
  // A GHSA label stands for the middle of its CVSS band (`scoreForLevel`); `NONE` stands for no score.
  const level = severityLevelOf(severityLabel);
  const labelScore = level === undefined || level === 'none' ? undefined : scoreForLevel(level);
  if (labelScore !== undefined) return { score: labelScore, source: `no scorable CVSS vector; its GHSA severity ${severityLabel} stands for ${labelScore.toFixed(1)}` };
  return { score: undefined, source: 'no scorable CVSS vector and no severity label' };
}

/**
 * SSVC Exploitation. `active` needs evidence of exploitation in the wild, and CISA KEV is that
 * evidence. `public_poc` when EPSS says exploitation activity is likely (score or percentile at or
 * above the policy's thresholds) or a vector reports exploit code: v3.x E:P/F/H, v4.0 E:P or E:A
 * (v4.0 `Attacked` also covers mere exploit toolkits, so it alone does not make `active`).
 */
function exploitationOf(advisory: FixedAdvisory, vectors: CvssResult[], policy: RiskPolicy): AdvisoryEvidence['exploitation'] {
  if (advisory.kev) return { value: 'active', because: `CISA KEV lists it as exploited in the wild since ${advisory.kev.dateAdded}` };
  const { epssPublicPoc, epssPercentilePublicPoc } = policy.thresholds;
  const epss = advisory.epss;
  if (epss && epss.score >= epssPublicPoc) {
    return { value: 'public_poc', because: `EPSS ${epss.score} is at or above ${epssPublicPoc} (policy thresholds.epssPublicPoc)` };
  }
  if (epss && epss.percentile >= epssPercentilePublicPoc) {
    return { value: 'public_poc', because: `EPSS percentile ${epss.percentile} is at or above ${epssPercentilePublicPoc} (policy thresholds.epssPercentilePublicPoc)` };
  }
  const matured = vectors.find((result) => exploitMaturity.has(`${result.version === '4.0' ? '4' : '3'}:${result.metrics.E ?? 'X'}`));
  if (matured) return { value: 'public_poc', because: `its vector reports exploit code (E:${matured.metrics.E ?? ''} in ${matured.vector})` };
  const epssText = epss ? `EPSS ${epss.score} (percentile ${epss.percentile}) is below the thresholds` : 'no EPSS score';
  return { value: 'none', because: `not in CISA KEV, ${epssText}, no exploit maturity in its vectors` };
}

const exploitMaturity: ReadonlySet<string> = new Set(['3:P', '3:F', '3:H', '4:P', '4:A']);

/**
 * SSVC Automatable: yes when an attacker can reach and trigger the flaw without a person in the
 * loop, i.e. the vector is network-reachable, low complexity, needs no privileges and no user
 * interaction (v3.x AV:N/AC:L/PR:N/UI:N; v4.0 additionally AT:N). No vector: no (nothing shows it).
 */
function automatableOf(vectors: CvssResult[]): AdvisoryEvidence['automatable'] {
  const automatable = vectors.find((result) => isAutomatable(result));
  if (automatable) {
    const conditions = automatable.version === '4.0' ? 'AV:N/AC:L/AT:N/PR:N/UI:N' : 'AV:N/AC:L/PR:N/UI:N';
    return { value: 'yes', because: `${automatable.vector} is ${conditions}` };
  }
  if (vectors.length === 0) return { value: 'no', because: 'no CVSS vector shows it can be exploited without privileges or user interaction' };
  return { value: 'no', because: 'none of its vectors is AV:N/AC:L/PR:N/UI:N, with AT:N in v4.0' };
}

function isAutomatable({ version, metrics }: CvssResult): boolean {
  const base = metrics.AV === 'N' && metrics.AC === 'L' && metrics.PR === 'N' && metrics.UI === 'N';
  return version === '4.0' ? base && metrics.AT === 'N' : base;
}

/**
 * SSVC Technical Impact, by CERT/CC's own CVSS-to-Technical-Impact table
 * (CERTCC/SSVC data/csv/ssvc/cvssv4_to_technical_impact_1_0_0.csv): total when confidentiality and
 * integrity impacts are both High, or when no privileges are needed and one of them is High and the
 * other at least Low. This is wider than "C, I and A all High" (which it includes): full read and
 * write access is total control whatever happens to availability. v3.x C/I map like v4.0 VC/VI.
 */
function technicalImpactOf(vectors: CvssResult[]): AdvisoryEvidence['technicalImpact'] {
  const total = vectors.find((result) => isTotalImpact(result));
  if (total) return { value: 'total', because: `${total.vector} has ${impactMetrics(total)}` };
  if (vectors.length === 0) return { value: 'partial', because: 'no CVSS vector shows total control' };
  return { value: 'partial', because: 'no vector has confidentiality and integrity impact both High, nor one High and the other Low with PR:N' };
}

function impacts({ version, metrics }: CvssResult): { c: string | undefined; i: string | undefined; pr: string | undefined } {
  return version === '4.0' ? { c: metrics.VC, i: metrics.VI, pr: metrics.PR } : { c: metrics.C, i: metrics.I, pr: metrics.PR };
}

function isTotalImpact(result: CvssResult): boolean {
  const { c, i, pr } = impacts(result);
  if (c === 'H' && i === 'H') return true;
  return pr === 'N' && ((c === 'H' && i === 'L') || (c === 'L' && i === 'H'));
}

function impactMetrics(result: CvssResult): string {
  const { c, i, pr } = impacts(result);
  const [cName, iName] = result.version === '4.0' ? ['VC', 'VI'] : ['C', 'I'];
  return `${cName}:${c ?? '?'}/${iName}:${i ?? '?'}/PR:${pr ?? '?'}`;
}
