/** An upgrade: one component moved to one target version across the services that use it. */
export const stages = ['intake', 'triaged', 'compat', 'canary', 'progressive', 'verifying', 'done'] as const;
export const terminalStates = ['done', 'rejected', 'superseded', 'rolled_back'] as const;
/** Every state, in path order, then the terminal ones off the path. */
export const upgradeStates = [...stages, 'rejected', 'superseded', 'rolled_back'] as const;
export type Stage = (typeof stages)[number];
export type UpgradeState = Stage | 'rejected' | 'superseded' | 'rolled_back';

/** ITSM change classes: standard is pre-approved, normal needs approvals, emergency is compressed. */
export const changeClasses = ['standard', 'normal', 'emergency'] as const;
export type ChangeClass = (typeof changeClasses)[number];

/** CISA's SSVC outcomes, from least to most urgent: the decision a risk assessment records. */
export const cisaDecisions = ['track', 'track*', 'attend', 'act'] as const;
export type CisaDecision = (typeof cisaDecisions)[number];

export const evidenceKinds = ['risk_score', 'release_notes_ack', 'compat_matrix', 'rollback_drill', 'change_authorized', 'analysis', 'approval', 'verification', 'superseded_by'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const evidenceOutcomes = ['pass', 'fail'] as const;
export type EvidenceOutcome = (typeof evidenceOutcomes)[number];

/** A recorded fact that a gate can open on. `ref` points at where the full evidence lives. */
export interface Evidence {
  id: string;
  kind: EvidenceKind;
  outcome: EvidenceOutcome;
  /** Stage the upgrade was in when the evidence was recorded; a gate only counts fresh evidence. */
  stage: UpgradeState;
  /** Rollout weight in force when recorded (analysis and approvals are per step). */
  weight: number;
  ref: string;
  summary: string;
  recordedBy: string;
  recordedAt: string;
}

/** One package an upgrade moves. A single-package upgrade has one member, itself. */
export interface UpgradeMember {
  ecosystem: string;
  name: string;
  /** Package URL without version. */
  purl: string;
  fromVersions: string[];
  targetVersion: string;
  /** The release train it moves with (e.g. `spring-framework`), for upgrades of several packages. */
  releaseGroup?: string;
}

export interface Upgrade {
  id: string;
  ecosystem: string;
  name: string;
  purl: string;
  fromVersions: string[];
  targetVersion: string;
  services: string[];
  /**
   * The packages it moves, each to its own target. Packages released together (one advisory naming
   * several packages of one project, a release train) form one upgrade: then `name` is the group's
   * name, `purl` its identity (`release-group:<ecosystem>/<trains>`) and `targetVersion` a summary.
   */
  members: UpgradeMember[];
  changeClass: ChangeClass;
  state: UpgradeState;
  /** Share of traffic on the new version, in percent; 0 before the canary. */
  weight: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: bumped by every change; a write with a stale version is refused. */
  version: number;
  evidence: Evidence[];
  /** Emergency changes must be reviewed after the fact; set when one reaches a terminal state. */
  postReviewRequired: boolean;
}

export type UpgradeEvent =
  | 'triage'
  | 'start_compat'
  | 'start_canary'
  | 'promote'
  | 'start_verification'
  | 'complete'
  | 'rollback'
  /** A new rollout attempt of a rolled-back upgrade, from compatibility again (`uf rollout retry`). */
  | 'retry'
  | 'reject'
  | 'supersede';

export interface TransitionRequest {
  event: UpgradeEvent;
  actor: string;
  reason: string;
  at: string;
  /**
   * The canary weights of the rollout this transition belongs to (for `start_canary` and
   * `promote`), as the rollout policy resolves them for the service and change class; the default
   * policy's weights (`defaultRolloutWeights`) when absent.
   */
  steps?: readonly number[];
}

export interface TransitionResult {
  upgrade: Upgrade;
  /** The operation-log entry to write in the same transaction as the new state. */
  log: { action: string; subject: string; reason: string; evidenceRef: string | null };
}
