import type { CvssVersion } from './types.js';

/**
 * The metrics each CVSS version defines and the values each may take, from FIRST's
 * specifications (v3.0 and v3.1 §6 tables, v4.0 §7 table 23). We check vectors against these
 * tables ourselves because the scoring library is lenient: it accepts duplicate metrics, a missing
 * base metric, and the v4.0 `S` value on base SC/SI/SA, which the specification reserves for MSI/MSA.
 */
export type MetricGroup = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

export interface MetricDefinition {
  group: MetricGroup;
  values: readonly string[];
}

const impact = ['H', 'L', 'N'] as const;
const requirement = ['X', 'H', 'M', 'L'] as const;

const v3: Readonly<Record<string, MetricDefinition>> = {
  AV: { group: 'base', values: ['N', 'A', 'L', 'P'] },
  AC: { group: 'base', values: ['L', 'H'] },
  PR: { group: 'base', values: ['N', 'L', 'H'] },
  UI: { group: 'base', values: ['N', 'R'] },
  S: { group: 'base', values: ['U', 'C'] },
  C: { group: 'base', values: impact },
  I: { group: 'base', values: impact },
  A: { group: 'base', values: impact },
  E: { group: 'temporal', values: ['X', 'H', 'F', 'P', 'U'] },
  RL: { group: 'temporal', values: ['X', 'U', 'W', 'T', 'O'] },
  RC: { group: 'temporal', values: ['X', 'C', 'R', 'U'] },
  CR: { group: 'environmental', values: requirement },
  IR: { group: 'environmental', values: requirement },
  AR: { group: 'environmental', values: requirement },
  MAV: { group: 'environmental', values: ['X', 'N', 'A', 'L', 'P'] },
  MAC: { group: 'environmental', values: ['X', 'L', 'H'] },
  MPR: { group: 'environmental', values: ['X', 'N', 'L', 'H'] },
  MUI: { group: 'environmental', values: ['X', 'N', 'R'] },
  MS: { group: 'environmental', values: ['X', 'U', 'C'] },
  MC: { group: 'environmental', values: ['X', ...impact] },
  MI: { group: 'environmental', values: ['X', ...impact] },
  MA: { group: 'environmental', values: ['X', ...impact] },
};

const v4: Readonly<Record<string, MetricDefinition>> = {
  AV: { group: 'base', values: ['N', 'A', 'L', 'P'] },
  AC: { group: 'base', values: ['L', 'H'] },
  AT: { group: 'base', values: ['N', 'P'] },
  PR: { group: 'base', values: ['N', 'L', 'H'] },
  UI: { group: 'base', values: ['N', 'P', 'A'] },
  VC: { group: 'base', values: impact },
  VI: { group: 'base', values: impact },
  VA: { group: 'base', values: impact },
  SC: { group: 'base', values: impact },
  SI: { group: 'base', values: impact },
  SA: { group: 'base', values: impact },
  E: { group: 'threat', values: ['X', 'A', 'P', 'U'] },
  CR: { group: 'environmental', values: requirement },
  IR: { group: 'environmental', values: requirement },
  AR: { group: 'environmental', values: requirement },
  MAV: { group: 'environmental', values: ['X', 'N', 'A', 'L', 'P'] },
  MAC: { group: 'environmental', values: ['X', 'L', 'H'] },
  MAT: { group: 'environmental', values: ['X', 'N', 'P'] },
  MPR: { group: 'environmental', values: ['X', 'N', 'L', 'H'] },
  MUI: { group: 'environmental', values: ['X', 'N', 'P', 'A'] },
  MVC: { group: 'environmental', values: ['X', ...impact] },
  MVI: { group: 'environmental', values: ['X', ...impact] },
  MVA: { group: 'environmental', values: ['X', ...impact] },
  MSC: { group: 'environmental', values: ['X', ...impact] },
  MSI: { group: 'environmental', values: ['X', 'S', ...impact] },
  MSA: { group: 'environmental', values: ['X', 'S', ...impact] },
  S: { group: 'supplemental', values: ['X', 'N', 'P'] },
  AU: { group: 'supplemental', values: ['X', 'N', 'Y'] },
  R: { group: 'supplemental', values: ['X', 'A', 'U', 'I'] },
  V: { group: 'supplemental', values: ['X', 'D', 'C'] },
  RE: { group: 'supplemental', values: ['X', 'L', 'M', 'H'] },
  U: { group: 'supplemental', values: ['X', 'Clear', 'Green', 'Amber', 'Red'] },
};

export const metricTables: Readonly<Record<CvssVersion, Readonly<Record<string, MetricDefinition>>>> = {
  '3.0': v3,
  '3.1': v3,
  '4.0': v4,
};

export function baseMetricNames(version: CvssVersion): string[] {
  return Object.entries(metricTables[version])
    .filter(([, definition]) => definition.group === 'base')
    .map(([name]) => name);
}
