import { canonicalPurl, parsePurl, unversionedPurl } from '../../ecosystems/purl.js';
import type { FindingAcceptance } from '../store/finding-acceptances.js';
import type { StoredFinding } from '../store/findings.js';
import type { StoredVexStatement } from '../store/vex-statements.js';
import { versionCovered } from '../vex/vers.js';

/**
 * A finding's state as users see it. Intake stores only open/retired; acceptances and VEX
 * statements are applied on read, so intake re-runs never undo them. Precedence: retired (no longer
 * matched) > not_affected or fixed (the latest applicable VEX statement) > accepted (an unexpired,
 * unrevoked acceptance) > open.
 */
export type FindingState = 'open' | 'accepted' | 'not_affected' | 'fixed' | 'retired';
export const findingStates = ['open', 'accepted', 'not_affected', 'fixed', 'retired'] as const satisfies readonly FindingState[];

export interface FindingStateInput {
  finding: StoredFinding;
  /** The finding's advisory id and every alias of it (CVE, GHSA) known to the store. */
  advisoryIds: ReadonlySet<string>;
}

export interface AppliedState {
  state: FindingState;
  /** The acceptance that covers the finding now, or the latest one that expired. */
  acceptance?: FindingAcceptance & { expired: boolean };
  /** The latest VEX statement that applies, whatever its status. */
  vex?: StoredVexStatement;
}

export function applyState(input: FindingStateInput, acceptances: readonly FindingAcceptance[], statements: readonly StoredVexStatement[], now: Date): AppliedState {
  const { finding } = input;
  const vex = statements.filter((s) => statementApplies(s, input)).at(-1);
  const at = now.toISOString();
  const covering = acceptances.filter((a) => a.revokedAt === null && a.service === finding.service && (a.findingId === finding.id || (a.findingId === null && input.advisoryIds.has(a.advisoryId))));
  const active = covering.filter((a) => a.expiresAt > at).at(-1);
  const expired = covering.filter((a) => a.expiresAt <= at).at(-1);
  const acceptance = active ? { ...active, expired: false } : expired ? { ...expired, expired: true } : undefined;
  const extra = { ...(acceptance ? { acceptance } : {}), ...(vex ? { vex } : {}) };
  if (finding.status === 'retired') return { state: 'retired', ...extra };
  if (vex?.status === 'not_affected') return { state: 'not_affected', ...extra };
  if (vex?.status === 'fixed') return { state: 'fixed', ...extra };
  if (active) return { state: 'accepted', ...extra };
  return { state: 'open', ...extra };
}

/** Statements are listed oldest first (stated_at, then import time), so the last that applies wins. */
export function statementApplies(s: StoredVexStatement, { finding, advisoryIds }: FindingStateInput): boolean {
  if (!advisoryIds.has(s.vulnerability) && !s.aliases.some((a) => advisoryIds.has(a))) return false;
  if (s.service === null && s.purl === null) return false;
  if (s.service !== null && s.service !== finding.service) return false;
  if (s.purl !== null && !purlMatches(s.purl, finding.purl)) return false;
  if (s.versions !== null) {
    // Versions of a package product are the component's; of a service-level product, the one given at import.
    const version = s.purl !== null ? finding.version : s.versions.productVersion;
    if (version === undefined) return false;
    const contrary = s.status === 'not_affected' ? 'affected' : 'unaffected';
    return s.versions.entries.some((e) => e.status !== contrary && versionCovered(version, e));
  }
  return true;
}

/** Same package (qualifiers ignored); a statement PURL without a version covers every version. */
function purlMatches(statementPurl: string, findingPurl: string): boolean {
  try {
    const a = parsePurl(statementPurl);
    const b = parsePurl(findingPurl);
    if (a.version === undefined) return canonicalPurl(unversionedPurl(a)) === canonicalPurl(unversionedPurl(b));
    return canonicalPurl(a) === canonicalPurl(b);
  } catch {
    return statementPurl === findingPurl;
  }
}
