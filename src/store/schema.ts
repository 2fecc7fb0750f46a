import type { DependencyScope, InventoryFormat } from '../core/inventory.js';
import type { Role } from '../core/roles.js';
import type { EntityKind } from '../core/service-map.js';
import type { ChangeClass, CisaDecision, EvidenceKind, EvidenceOutcome, UpgradeState } from '../core/upgrade/index.js';

/** Whether intake last saw a finding still matched (`open`) or no longer (`retired`). */
export const findingStatuses = ['open', 'retired'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

/** VEX statuses, with OpenVEX's names (CycloneDX analysis states map onto them). */
export const vexStatuses = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof vexStatuses)[number];

export const vexFormats = ['cyclonedx', 'openvex'] as const;
export type VexFormat = (typeof vexFormats)[number];

/**
 * Tables, as Kysely sees them. Enum-like columns carry their literal union (defined once, as a
 * const array, beside the domain type); the database itself stores them as text. Portable across SQLite and PostgreSQL: times are ISO-8601 UTC
 * text, booleans are 0/1 integers, structured values are JSON text.
 */
export interface Database {
  catalog_entities: CatalogEntityTable;
  inventory_imports: InventoryImportTable;
  inventory_components: InventoryComponentTable;
  upgrades: UpgradeTable;
  upgrade_evidence: EvidenceTable;
  oplog: OplogTable;
  oplog_head: OplogHeadTable;
  log_checkpoints: LogCheckpointTable;
  api_tokens: TokenTable;
  users: UserTable;
  change_requests: ChangeRequestTable;
  change_approvals: ChangeApprovalTable;
  rollback_drills: RollbackDrillTable;
  release_notes_acks: ReleaseNotesAckTable;
  advisories: AdvisoryTable;
  kev_entries: KevTable;
  epss_scores: EpssTable;
  findings: FindingTable;
  risk_assessments: RiskAssessmentTable;
  intake_sources: IntakeSourceTable;
  intake_runs: IntakeRunTable;
  finding_acceptances: FindingAcceptanceTable;
  vex_statements: VexStatementTable;
  leases: LeaseTable;
  rollouts: RolloutTable;
  rollout_actions: RolloutActionTable;
  rollout_inputs: RolloutInputTable;
  compat_runs: CompatRunTable;
  compat_jobs: CompatJobTable;
  compat_cells: CompatCellTable;
  compat_waivers: CompatWaiverTable;
  notification_deliveries: NotificationDeliveryTable;
  notification_attempts: NotificationAttemptTable;
  baseline_samples: BaselineSampleTable;
  baseline_summaries: BaselineSummaryTable;
  incidents: IncidentTable;
  upgrade_reviews: UpgradeReviewTable;
  review_actions: ReviewActionTable;
}

/** One metric's measurement before the rollout or in one slice of the verification window (verify/baselines). */
export interface BaselineSampleTable {
  id: string;
  rollout_id: string;
  upgrade_id: string;
  service: string;
  action_id: string;
  phase: 'before' | 'after';
  metric: string;
  window_start: string;
  window_end: string;
  measurement: string;
  created_at: string;
}

/** The latest before/after comparison of one metric in one rollout (verify/baselines). */
export interface BaselineSummaryTable {
  id: string;
  rollout_id: string;
  upgrade_id: string;
  service: string;
  metric: string;
  summary: string;
  judged_at: string;
}

/** One rollout of the rollout engine; `state` is its reducer state as JSON (read by src/rollout/store). */
export interface RolloutTable {
  id: string;
  upgrade_id: string;
  attempt: number;
  service: string;
  state: string;
  /** The state's phase, kept beside it so unfinished rollouts are found by index (migration 009). */
  phase: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One action the rollout engine decided, keyed by its deterministic id. */
export interface RolloutActionTable {
  id: string;
  rollout_id: string;
  seq: number;
  kind: string;
  body: string;
  status: 'pending' | 'done' | 'failed';
  result: string | null;
  created_at: string;
  finished_at: string | null;
  observed_at: string | null;
}

/** An approval or command for a rollout, queued until the reconciler hands it to the reducer. */
export interface RolloutInputTable {
  id: string;
  rollout_id: string;
  seq: number;
  body: string;
  actor: string;
  created_at: string;
  observed_at: string | null;
}

export interface CatalogEntityTable {
  ref: string;
  kind: EntityKind;
  name: string;
  namespace: string;
  owner: string | null;
  system: string | null;
  tier: string | null;
  /** The whole CatalogEntity as JSON. */
  body: string;
  source_file: string;
  imported_at: string;
}

export interface InventoryImportTable {
  id: string;
  service: string;
  environment: string;
  file: string;
  format: InventoryFormat;
  format_version: string;
  sha256: string;
  component_count: number;
  skipped_count: number;
  imported_at: string;
  imported_by: string;
}

export interface InventoryComponentTable {
  service: string;
  environment: string;
  purl: string;
  ecosystem: string;
  name: string;
  version: string;
  direct: number;
  scope: DependencyScope;
  import_id: string;
}

export interface UpgradeTable {
  id: string;
  ecosystem: string;
  name: string;
  purl: string;
  from_versions: string;
  target_version: string;
  services: string;
  change_class: ChangeClass;
  state: UpgradeState;
  weight: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
  post_review_required: number;
  /** JSON UpgradeMember[] for an upgrade of several packages; `[]` for a single package. */
  members: string;
}

export interface EvidenceTable {
  id: string;
  upgrade_id: string;
  seq: number;
  kind: EvidenceKind;
  outcome: EvidenceOutcome;
  stage: UpgradeState;
  weight: number;
  ref: string;
  summary: string;
  recorded_by: string;
  recorded_at: string;
}

export interface OplogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  reason: string;
  evidence_ref: string | null;
  prev_hash: string;
  hash: string;
  /** The state seal the entry carries (migration 012; audit/seal.ts); null on entries about nothing sealed. */
  seal?: string | null;
  /** Set by retention: the entry's leaf hash, kept when its content is pruned (migration 012). */
  leaf_hash?: string | null;
  pruned_at?: string | null;
}

/** The chain head, written with every append, so that truncating the log's tail is detected too. */
export interface OplogHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface TokenTable {
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  secret_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  last_used_at: string | null;
  /** The person the token speaks for (`uf token create --user`); null: the token itself. */
  user_name: string | null;
  /** After this instant the token is refused; null: it does not expire. */
  expires_at: string | null;
  /** The token that replaced this one on rotation. */
  replaced_by: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface UserTable {
  name: string;
  display_name: string | null;
  email: string | null;
  /** JSON array of team names. */
  teams: string;
  created_at: string;
  created_by: string;
  disabled_at: string | null;
}

export interface AdvisoryTable {
  id: string;
  modified: string;
  withdrawn: string | null;
  aliases: string;
  summary: string | null;
  /** The normalised Advisory as JSON. */
  body: string;
  content_hash: string;
  source: string;
  first_seen_at: string;
  updated_at: string;
}

export interface KevTable {
  cve: string;
  date_added: string;
  due_date: string | null;
  known_ransomware: number;
  body: string;
}

export interface EpssTable {
  cve: string;
  epss: number;
  percentile: number;
  score_date: string | null;
}

export interface FindingTable {
  /** Stable: hash of advisory, service, environment and purl, so re-runs update, not duplicate. */
  id: string;
  advisory_id: string;
  service: string;
  environment: string;
  purl: string;
  ecosystem: string;
  name: string;
  version: string;
  direct: number;
  fixed_in: string;
  status: FindingStatus;
  first_seen_at: string;
  updated_at: string;
}

export interface RiskAssessmentTable {
  id: string;
  upgrade_id: string;
  score: number;
  /** The SSVC decision. */
  decision: CisaDecision;
  change_class: ChangeClass;
  body: string;
  created_at: string;
}

export interface IntakeSourceTable {
  source: string;
  content_hash: string;
  records: number;
  checked_at: string;
}

export interface IntakeRunTable {
  id: string;
  started_at: string;
  finished_at: string;
  actor: string;
  /** Hash of every input the run read; an equal fingerprint means nothing to do. */
  fingerprint: string;
  summary: string;
}

/** A risk acceptance: a finding (or every finding of an advisory in a service) accepted until `expires_at`. */
export interface FindingAcceptanceTable {
  id: string;
  advisory_id: string;
  service: string;
  finding_id: string | null;
  reason: string;
  owner: string;
  expires_at: string;
  accepted_by: string;
  accepted_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  expiry_logged_at: string | null;
}

/** One VEX statement about one product (or subcomponent), as imported; applied when findings are read. */
export interface VexStatementTable {
  id: string;
  vulnerability: string;
  aliases: string;
  status: VexStatus;
  justification: string | null;
  detail: string | null;
  product_ref: string;
  service: string | null;
  purl: string | null;
  versions: string | null;
  format: VexFormat;
  document: string;
  document_sha256: string;
  stated_at: string;
  imported_at: string;
  imported_by: string;
}

/** One holder at a time for a named job (`intake`, a rollout): see repos/leases.ts. */
export interface LeaseTable {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
}

/** A compatibility-matrix run of an upgrade (migration 010). */
export interface CompatRunTable {
  id: string;
  upgrade_id: string;
  status: string;
  plan: string;
  created_by: string;
  created_at: string;
  finished_at: string | null;
  settled_at: string | null;
}

/** One cell's job, taken by a worker under a lease. */
export interface CompatJobTable {
  id: string;
  run_id: string;
  consumer_id: string;
  check_id: string;
  kind: string;
  phase: number;
  request: string;
  timeout_ms: number;
  status: string;
  attempts: number;
  max_attempts: number;
  holder: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** One stored result of a cell: the primary key (run, consumer, check) allows exactly one. */
export interface CompatCellTable {
  run_id: string;
  consumer_id: string;
  check_id: string;
  status: string;
  required: number;
  summary: string;
  rule_id: string | null;
  exit_code: number | null;
  duration_ms: number;
  attempts: number;
  evidence: string;
  worker: string;
  finished_at: string;
}

/** A waiver of one cell: who, in which role, and why. */
export interface CompatWaiverTable {
  id: string;
  run_id: string;
  consumer_id: string;
  check_id: string;
  role: string;
  reason: string;
  actor: string;
  created_at: string;
}

export interface ChangeRequestTable {
  id: string;
  upgrade_id: string;
  change_class: string;
  status: string;
  fields: string;
  scope_digest: string;
  requested_by: string;
  implementer: string;
  template_id: string | null;
  planned_start: string;
  planned_end: string;
  review_due_at: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_notes: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ChangeApprovalTable {
  id: string;
  change_id: string;
  by: string;
  role: string;
  decision: string;
  reason: string | null;
  scope_digest: string;
  at: string;
  voided_at: string | null;
  void_reason: string | null;
}

/** A signed checkpoint `uf log checkpoint` published (migration 012): the note as signed, never the key. */
export interface LogCheckpointTable {
  id: string;
  origin: string;
  tree_size: number;
  /** Hex SHA-256 root of the first tree_size entries. */
  root_hash: string;
  at: string;
  /** Signer's key name and 4-byte key id (hex). */
  key_name: string;
  key_id: string;
  note: string;
  written_to: string | null;
}

/** Webhook notifications' outbox (migration 013): no secret, no URL, only the target's name. */
export interface NotificationDeliveryTable {
  id: string;
  event_id: string;
  event_type: string;
  subject: string;
  target: string;
  event: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  lease_holder: string | null;
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface NotificationAttemptTable {
  id: string;
  delivery_id: string;
  event_id: string;
  event_type: string;
  target: string;
  attempt: number;
  outcome: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: string | null;
  at: string;
}

/** A rollback drill run by `uf drill run` (migration 014). */
export interface RollbackDrillTable {
  id: string;
  service: string;
  router: string;
  outcome: string;
  rollback_ms: number | null;
  report: string;
  summary: string;
  actor: string;
  started_at: string;
  finished_at: string;
}

/** An acknowledgment of an upgrade's parsed release notes (migration 014). */
export interface ReleaseNotesAckTable {
  id: string;
  upgrade_id: string;
  actor: string;
  standing: string;
  notes_digest: string;
  at: string;
}

/** An incident from a file import or a webhook (migration 018; verify/incidents). */
export interface IncidentTable {
  id: string;
  source: string;
  external_id: string;
  title: string;
  service: string | null;
  service_known: number;
  severity: string;
  started_at: string;
  resolved_at: string | null;
  change_ref: string | null;
  upgrade_id: string | null;
  link_kind: string | null;
  link_reason: string | null;
  received_at: string;
  updated_at: string;
}

/** The post-implementation review of one upgrade (migration 018; verify/reviews). */
export interface UpgradeReviewTable {
  id: string;
  upgrade_id: string;
  went_well: string;
  went_badly: string;
  opened_by: string;
  opened_at: string;
  updated_at: string;
}

/** One action of a review, fed to the service's next upgrades (migration 018; verify/reviews). */
export interface ReviewActionTable {
  id: string;
  review_id: string;
  kind: string;
  service: string;
  title: string;
  owner: string;
  due: string;
  detail: string;
  status: string;
  created_by: string;
  created_at: string;
  done_by: string | null;
  done_at: string | null;
  done_note: string | null;
}
