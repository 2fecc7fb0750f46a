import type { UfError } from '../../../core/errors.js';

/** One catalog entry: CISA has seen this CVE exploited in the wild. */
export interface KevEntry {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  /** `YYYY-MM-DD`, the day CISA added it. */
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  /** `YYYY-MM-DD`, the remediation deadline for US federal agencies. */
  dueDate: string;
  /** As written: `Known` or `Unknown` (absent reads as `Unknown`). */
  knownRansomwareCampaignUse: string;
  /** true when `knownRansomwareCampaignUse` is `Known`. */
  knownRansomware: boolean;
  notes?: string;
  cwes: string[];
}

export interface KevCatalog {
  title?: string;
  catalogVersion: string;
  dateReleased: string;
  /** The catalog's own `count`; `entries.size` may be smaller when entries were rejected. */
  count: number;
  /** By CVE id. */
  entries: Map<string, KevEntry>;
  /** Entries that could not be read (with their path and CVE id), and a `count` that does not add up. */
  errors: UfError[];
  /** How many entries of `vulnerabilities` were rejected (invalid or repeated): the source's health counts them. */
  invalid: number;
}
