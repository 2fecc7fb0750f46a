export type CvssVersion = '3.0' | '3.1' | '4.0';

/** FIRST's qualitative rating scale, the same for v3.x and v4.0. */
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssResult {
  version: CvssVersion;
  /**
   * The score of the base metrics alone: v3.x Base Score, v4.0 CVSS-B. Threat, temporal and
   * environmental metrics in the vector never change it; they are scored in `overall`.
   */
  baseScore: number;
  severity: CvssSeverity;
  /** The vector as given, without surrounding white space. */
  vector: string;
  /** Every metric the vector carries, in its order, e.g. `{ AV: 'N', AC: 'L', … }`. */
  metrics: Readonly<Record<string, string>>;
  /**
   * The score with every metric group the vector carries. `label` names those groups:
   * v4.0 uses FIRST's nomenclature (`CVSS-B`, `CVSS-BT`, `CVSS-BE`, `CVSS-BTE`); v3.x says which
   * score it is (`base`, `temporal`, `environmental`). Equals the base score for a base-only vector.
   */
  overall: { score: number; severity: CvssSeverity; label: string };
}
