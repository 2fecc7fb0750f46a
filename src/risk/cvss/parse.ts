import * as aeNamespace from 'ae-cvss-calculator';
import { UfError } from '../../core/errors.js';
import { baseMetricNames, metricTables, type MetricGroup } from './metrics.js';
import { cvssSeverity } from './severity.js';
import type { CvssResult, CvssVersion } from './types.js';

// The library is a CommonJS bundle whose names Node's ESM loader cannot detect: there it is all under
// `default`. Bundlers and CJS transpilers (tsx on a CommonJS entry) expose the names directly instead.
type CvssLibrary = typeof aeNamespace;
const { Cvss3P0, Cvss3P1, Cvss4P0 }: CvssLibrary =
  typeof aeNamespace.Cvss3P1 === 'function' ? aeNamespace : (aeNamespace as unknown as { default: CvssLibrary }).default;

const versions: readonly CvssVersion[] = ['3.0', '3.1', '4.0'];

/**
 * Parses a CVSS v3.0, v3.1 or v4.0 vector and scores it. The vector is checked strictly against
 * the specification (every base metric exactly once, known metrics and values only; metric order
 * is not enforced, as FIRST's own calculators accept any order), then scored by
 * `ae-cvss-calculator`, which matches every published test vector we hold (see conformance.test.ts).
 * A bad vector is a UfError('parse_error') whose location path names the offending metric.
 */
export function parseCvss(vector: string): CvssResult {
  const text = vector.trim();
  const version = readVersion(text);
  const metrics = readMetrics(text, version);
  const scores = score(text, version);
  const overallScore = scores.overall;
  return {
    version,
    baseScore: scores.base,
    severity: cvssSeverity(scores.base),
    vector: text,
    metrics,
    overall: { score: overallScore, severity: cvssSeverity(overallScore), label: overallLabel(version, metrics) },
  };
}

function readVersion(text: string): CvssVersion {
  if (text === '') throw new UfError('parse_error', 'empty CVSS vector');
  const prefix = /^CVSS:([^/]*)\//.exec(text);
  if (!prefix) {
    if (/(^|\/)Au:/.test(text)) throw new UfError('parse_error', `CVSS v2 vectors are not supported (only 3.0, 3.1 and 4.0): ${text}`);
    throw new UfError('parse_error', `not a CVSS vector: expected it to start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/, got "${text}"`);
  }
  const version = versions.find((known) => known === prefix[1]);
  if (!version) throw new UfError('parse_error', `unsupported CVSS version "${prefix[1]}" (supported: ${versions.join(', ')})`);
  return version;
}

function readMetrics(text: string, version: CvssVersion): Record<string, string> {
  const table = metricTables[version];
  const metrics: Record<string, string> = {};
  const parts = text.split('/').slice(1);
  parts.forEach((part, index) => {
    const colon = part.indexOf(':');
    if (part === '') throw new UfError('parse_error', `empty metric at position ${index + 1} of CVSS ${version} vector "${text}"`);
    if (colon <= 0) throw new UfError('parse_error', `metric "${part}" in CVSS ${version} vector is not NAME:VALUE`, { path: part });
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const definition = table[name];
    if (!definition) throw new UfError('parse_error', `unknown CVSS ${version} metric "${name}" in "${part}"`, { path: name });
    if (name in metrics) throw new UfError('parse_error', `CVSS ${version} metric ${name} appears more than once`, { path: name });
    if (!definition.values.includes(value)) {
      const allowed = definition.values.join(', ');
      throw new UfError('parse_error', `invalid value "${value}" for CVSS ${version} metric ${name} (allowed: ${allowed})`, { path: name });
    }
    metrics[name] = value;
  });
  const required = baseMetricNames(version);
  const missing = required.filter((name) => !(name in metrics));
  if (missing.length > 0) {
    const message = `missing base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (CVSS ${version} requires ${required.join(', ')})`;
    throw new UfError('parse_error', message, { path: missing[0] });
  }
  return metrics;
}

function score(text: string, version: CvssVersion): { base: number; overall: number } {
  try {
    if (version === '4.0') {
      const scores = new Cvss4P0(text).calculateScores();
      return { base: required(scores.baseMetricsOnly), overall: scores.overall };
    }
    const calculator = version === '3.0' ? new Cvss3P0(text) : new Cvss3P1(text);
    const scores = calculator.calculateScores();
    return { base: required(scores.base), overall: scores.overall };
  } catch (error) {
    // Our own checks above reject every malformed vector first; this only guards against a library regression.
    throw new UfError('parse_error', `CVSS ${version} vector could not be scored: ${(error as Error).message}`, undefined, { cause: error });
  }
}

function required(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) throw new Error('the calculator returned no base score');
  return value;
}

/** Which metric groups beyond the base the vector sets to something other than X (Not Defined). */
function definedGroups(version: CvssVersion, metrics: Record<string, string>): Set<MetricGroup> {
  const table = metricTables[version];
  const groups = new Set<MetricGroup>();
  for (const [name, value] of Object.entries(metrics)) {
    const group = table[name]?.group;
    if (group !== undefined && group !== 'base' && value !== 'X') groups.add(group);
  }
  return groups;
}

function overallLabel(version: CvssVersion, metrics: Record<string, string>): string {
  const groups = definedGroups(version, metrics);
  if (version === '4.0') return `CVSS-B${groups.has('threat') ? 'T' : ''}${groups.has('environmental') ? 'E' : ''}`;
  if (groups.has('environmental')) return 'environmental';
  if (groups.has('temporal')) return 'temporal';
  return 'base';
}
