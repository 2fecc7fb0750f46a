import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../core/ids.js';
import type { UpgradeCandidate } from '../../intake/matching/candidates.js';
import type { ReleaseNotesSummary } from '../../intake/release-notes/index.js';
import type { RiskAssessment, RiskInput } from '../../risk/index.js';
import type { Database } from '../schema.js';

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
}

export async function saveAssessment(
  trx: Transaction<Database>,
  upgradeId: string,
  body: { assessment: RiskAssessment; input: RiskInput; candidate: UpgradeCandidate; releaseNotes?: ReleaseNotesSummary },
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
      body: JSON.stringify(body),
      created_at: now.toISOString(),
    })
    .execute();
  return id;
}

export async function latestAssessment(db: Kysely<Database> | Transaction<Database>, upgradeId: string): Promise<StoredAssessment | undefined> {
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
