import { newId } from '../../core/ids.js';
import type { UpgradeCandidate } from '../matching/candidates.js';
import type { ReleaseNotesSummary } from '../release-notes/index.js';
import type { RiskAssessment, RiskInput } from '../../risk/index.js';
import type { Db, Tx } from '../../store/db.js';

/** A stored assessment: the verdict, what it was computed from, and the candidate it scored. */
export interface StoredAssessment {
  id: string;
  upgradeId: string;
  createdAt: string;
  assessment: RiskAssessment;
  input: RiskInput;
  candidate: UpgradeCandidate;
  /** What the release notes say changed between the version in use and the target, when known. */
  releaseNotes?: ReleaseNotesSummary;
  /**
   * Lists cut to keep the stored body bounded, by key path, with how many items were left out
   * (e.g. `{"input.advisories": 15950}`). The verdict was computed from the full lists.
   */
  omitted?: Record<string, number>;
}

type AssessmentBody = { assessment: RiskAssessment; input: RiskInput; candidate: UpgradeCandidate; releaseNotes?: ReleaseNotesSummary };

/** Most items of each list a stored assessment keeps; the count of the rest is recorded in `omitted`. */
export const storedListLimits = { advisories: 50, ids: 100, aliases: 20, vectors: 10, services: 500, versions: 100, releaseNotes: 100 } as const;

/** A stored body larger than this after the lists were cut drops the per-advisory detail entirely. */
export const maxStoredAssessmentChars = 1_000_000;

export async function saveAssessment(
  trx: Tx,
  upgradeId: string,
  body: AssessmentBody,
  now: Date,
): Promise<string> {
  const id = newId('rsk');
  await trx
    .insertInto('risk_assessments')
    .values({
      id,
      upgrade_id: upgradeId,
      score: body.assessment.score,
      decision: body.assessment.decision,
      change_class: body.assessment.changeClass,
      body: storedBody(body),
      created_at: now.toISOString(),
    })
    .execute();
  return id;
}

export async function latestAssessment(db: Db, upgradeId: string): Promise<StoredAssessment | undefined> {
  const row = await db
    .selectFrom('risk_assessments')
    .selectAll()
    .where('upgrade_id', '=', upgradeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row) return undefined;
  const body = JSON.parse(row.body) as Omit<StoredAssessment, 'id' | 'upgradeId' | 'createdAt'>;
  return { id: row.id, upgradeId: row.upgrade_id, createdAt: row.created_at, ...body };
}

/**
 * The body as stored: every list cut to `storedListLimits` (the advisories that decided kept
 * first), with what was left out counted in `omitted`, so one upgrade fixing thousands of
 * advisories cannot produce a row too large to write or to read back.
 */
export function storedBody(body: AssessmentBody): string {
  const omitted: Record<string, number> = {};
  const cut = <T>(path: string, list: readonly T[], limit: number): T[] => {
    if (list.length <= limit) return [...list];
    omitted[path] = (omitted[path] ?? 0) + list.length - limit;
    return list.slice(0, limit);
  };
  const { assessment, input, candidate, releaseNotes } = body;
  // KEV-listed first, then by EPSS: the advisories the verdict rests on survive the cut.
  const ranked = [...input.advisories].sort((a, b) => Number(b.kev !== undefined) - Number(a.kev !== undefined) || (b.epss?.score ?? -1) - (a.epss?.score ?? -1));
  const advisories = cut('input.advisories', ranked, storedListLimits.advisories).map((a) => ({
    ...a,
    aliases: cut('input.advisories[].aliases', a.aliases, storedListLimits.aliases),
    cvssVectors: cut('input.advisories[].cvssVectors', a.cvssVectors, storedListLimits.vectors),
  }));
  const bounded: AssessmentBody & { omitted?: Record<string, number> } = {
    assessment,
    input: { ...input, advisories, services: cut('input.services', input.services, storedListLimits.services) },
    candidate: {
      ...candidate,
      advisories: cut('candidate.advisories', candidate.advisories, storedListLimits.ids),
      unfixed: cut('candidate.unfixed', candidate.unfixed, storedListLimits.ids),
      currentVersions: cut('candidate.currentVersions', candidate.currentVersions, storedListLimits.versions),
    },
    ...(releaseNotes
      ? {
          releaseNotes: {
            ...releaseNotes,
            breaking: cut('releaseNotes.breaking', releaseNotes.breaking, storedListLimits.releaseNotes),
            migrations: cut('releaseNotes.migrations', releaseNotes.migrations, storedListLimits.releaseNotes),
            deprecations: cut('releaseNotes.deprecations', releaseNotes.deprecations, storedListLimits.releaseNotes),
            securityFixes: cut('releaseNotes.securityFixes', releaseNotes.securityFixes, storedListLimits.releaseNotes),
            yanked: cut('releaseNotes.yanked', releaseNotes.yanked, storedListLimits.releaseNotes),
            advisories: cut('releaseNotes.advisories', releaseNotes.advisories, storedListLimits.ids),
          },
        }
      : {}),
  };
  if (Object.keys(omitted).length > 0) bounded.omitted = omitted;
  const text = JSON.stringify(bounded);
  if (text.length <= maxStoredAssessmentChars) return text;
  // Still too large (pathologically long strings): keep the verdict and drop the per-item detail.
  omitted['input.advisories'] = input.advisories.length;
  omitted['candidate.advisories'] = candidate.advisories.length;
  const { releaseNotes: _notes, ...rest } = bounded;
  const short = (text: string) => (text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
  const verdict: RiskAssessment = {
    ...assessment,
    factors: assessment.factors.map((f) => ({ ...f, reason: short(f.reason), value: typeof f.value === 'string' ? short(f.value) : f.value })),
    summary: short(assessment.summary),
    decisionReason: short(assessment.decisionReason),
    changeClassReason: short(assessment.changeClassReason),
  };
  return JSON.stringify({ ...rest, assessment: verdict, input: { ...bounded.input, advisories: [] }, candidate: { ...bounded.candidate, advisories: [], explanation: short(candidate.explanation) }, omitted });
}
