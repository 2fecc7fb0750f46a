import type { ResolvedRolloutStep } from '../../config/sections/rollout-policy.js';
import type { ResolvedVerification } from '../../config/sections/rollout-verification.js';
import type { Role } from '../../core/roles.js';
import type { EvidenceKind, EvidenceOutcome, UpgradeEvent } from '../../core/upgrade/index.js';
import type { MetricWindow, Verdict } from '../analysis/types.js';

/**
 * The rollout engine's vocabulary: the state of one rollout, what the reconciler observed, and
 * what the reducer asks it to do. Everything here is plain JSON, so the reconciler stores the
 * state as is and a restarted process resumes from it.
 */

export const rolloutPhases = ['deploying', 'health-check', 'promoting', 'analysing', 'awaiting-approval', 'awaiting-window', 'verifying', 'paused', 'rolled-back', 'done', 'aborted'] as const;
export type RolloutPhase = (typeof rolloutPhases)[number];

/** Phases an attempt ends in; only `retry` leaves one (rolled-back and aborted), as a new attempt. */
export const finalPhases: readonly RolloutPhase[] = ['rolled-back', 'done', 'aborted'];

/** Why a rollout is paused, which decides what `resume` does. */
export type PauseReason =
  | 'manual'
  | 'inconclusive'
  | 'too-few-samples'
  /** A failed verdict on a step whose `onFailure` is pause: traffic is at 0; only abort or retry move on. */
  | 'failed'
  | 'weights-failed'
  | 'action-failed'
  /** A verification check failed and the policy says alert: the upgrade stays in verifying, a human decides. */
  | 'regression';

export type DeployVariant = 'canary' | 'baseline';

export interface Weights {
  canary: number;
  baseline: number;
}

/** Where the engine has moved the upgrade in the state machine (the last transition it asked for). */
export type UpgradeStage = 'compat' | 'canary' | 'progressive' | 'verifying' | 'done' | 'rolled_back';

export interface PendingAction {
  id: string;
  kind: 'deploy' | 'wait-for-health' | 'set-weights' | 'run-analysis' | 'capture-baseline' | 'run-verification';
  variant?: DeployVariant;
  /** The window a run-analysis measures: a verdict counts for the step only if it covers minDuration. */
  window?: MetricWindow;
  /** A run-verification's check (an analysis name, or `before-after`) and its round. */
  check?: string;
  round?: number;
}

/** The name of the before/after baselines among the verification checks. */
export const beforeAfterCheck = 'before-after';

/** One verification check's verdict, in one round of the verification window. */
export interface VerificationResult {
  round: number;
  check: string;
  actionId: string;
  at: string;
  window: MetricWindow;
  verdict: Verdict;
}

/**
 * The verification after 100%: the policy the rollout started with, the before-window capture
 * taken when it started, and the window's progress. Absent on rollouts stored before verification
 * existed (they end at 100%).
 */
export interface VerificationState {
  policy: ResolvedVerification;
  /** The before-window samples taken as the rollout started (stored by the capture's runner). */
  capture?: { actionId: string; at: string; window: MetricWindow; captured: string[]; errors: string[] };
  /** When the current verification window started and ends. */
  startedAt?: string;
  endsAt?: string;
  /** When the next round of checks runs. */
  nextRunAt?: string;
  /** Where the next round's before/after slice starts: the end of the last one. */
  measuredUntil?: string;
  round: number;
  results: VerificationResult[];
  /** passed: the upgrade completed; regressed: a check failed (alerted or rolled back). */
  outcome?: 'passed' | 'regressed';
}

export interface VerdictRecord {
  attempt: number;
  step: number;
  weight: number;
  actionId: string;
  at: string;
  window: MetricWindow;
  verdict: Verdict;
}

export interface ApprovalRecord {
  attempt: number;
  step: number;
  by: string;
  role: Role;
  decision: 'approve' | 'reject';
  at: string;
}

/**
 * Whether the service may be promoted now, as the change windows say (governance/windows). The
 * reconciler asks before each decision and hands it in, so `decide` stays pure. Absent: no
 * window applies (always open).
 */
export interface WindowVerdict {
  open: boolean;
  /** Which window opens or closes it, and when that changes: shown to people and logged. */
  reason: string;
  /** When closed: when the service's next allowed window opens (null: not within a year). */
  nextOpenAt?: string | null;
}

/** A promotion held back by a closed window: which step it enters once the window opens. */
export interface WindowWait {
  step: number;
  since: string;
  /** Why the step was entered (its gate): said again when it goes ahead. */
  cause: string;
  reason: string;
  nextOpenAt: string | null;
}

/** A person who let one promotion through a closed window, with the role and reason it needs. */
export interface WindowOverrideRecord {
  attempt: number;
  step: number;
  by: string;
  role: Role;
  reason: string;
  at: string;
}

export interface DeployedVersion {
  attempt: number;
  variant: DeployVariant;
  digest: string;
  evidence: string;
  /** Set when its removal was asked for. */
  removed?: boolean;
}

export interface RolloutState {
  rolloutId: string;
  upgradeId: string;
  service: string;
  /** Who started the rollout: never the one who approves its gates. */
  initiator: string;
  attempt: number;
  steps: ResolvedRolloutStep[];
  /** Whether a fresh baseline (the old version at the canary's weight) runs beside the canary. */
  baseline: boolean;
  step: number;
  phase: RolloutPhase;
  pauseReason?: PauseReason;
  /** The weights last asked of the router: what a restarted reconciler re-applies. */
  weights: Weights;
  /** Whether the router's read-back confirmed `weights`. */
  weightsConfirmed: boolean;
  upgradeStage: UpgradeStage;
  /** When the current step's traffic was confirmed, ISO-8601 UTC. */
  stepStartedAt?: string;
  /** Past this without a counted pass, the step pauses for a human (the step's maxDuration). */
  stepDeadlineAt?: string;
  nextAnalysisAt?: string;
  /** Set by a failed verdict until the attempt ends: no weight may rise again in this attempt. */
  failedInAttempt: boolean;
  /** A passing verdict of this step that met minDuration and minSamples (or a human's promote). */
  stepPassed: boolean;
  deployed: DeployedVersion[];
  /** Variants of this attempt whose health check passed: none gets traffic before. */
  healthy: DeployVariant[];
  verdicts: VerdictRecord[];
  approvals: ApprovalRecord[];
  pending: PendingAction[];
  /** Set while a promotion waits for an allowed window (phase awaiting-window, or paused from it). */
  windowWait?: WindowWait;
  /** Overrides of closed windows, each for one step of one attempt. */
  windowOverrides?: WindowOverrideRecord[];
  /** Sequence of the next action id: ids are deterministic, so a re-run after a crash repeats them. */
  seq: number;
  verification?: VerificationState;
}

export const rolloutCommands = ['promote', 'pause', 'resume', 'abort', 'retry'] as const;
export type RolloutCommand = (typeof rolloutCommands)[number];

export type Observation =
  | { type: 'deploy-finished'; actionId: string; ok: boolean; digest?: string; evidence: string; reason?: string }
  | { type: 'health'; actionId: string; ok: boolean; reason?: string }
  | { type: 'weights-applied'; actionId: string; ok: boolean; readBack?: Weights; reason?: string }
  | { type: 'verdict'; actionId: string; verdict: Verdict }
  /** The before-window samples were stored: which metrics were measured, and why the others were not. */
  | { type: 'baseline-captured'; actionId: string; captured: string[]; errors: string[] }
  /** An approval or rejection as the API received it: `roles` are the ones the person holds. */
  | { type: 'approval'; by: string; roles: readonly Role[]; decision: 'approve' | 'reject'; reason?: string }
  | { type: 'command'; command: RolloutCommand; actor: string; reason?: string }
  /** Lets the promotion a closed window holds back go ahead: an approver or admin, with a reason. */
  | { type: 'window-override'; by: string; roles: readonly Role[]; reason: string }
  /** An action the reconciler could not carry out (a refused transition, a notifier down). */
  | { type: 'action-failed'; actionId: string; reason: string }
  | { type: 'tick' };

interface ActionBase {
  /** `<rollout>/a<attempt>/s<step>/<kind>/<seq>`: the reconciler runs each id once. */
  id: string;
}

export type Action = ActionBase &
  (
    | { kind: 'deploy'; variant: DeployVariant }
    | { kind: 'wait-for-health'; variant: DeployVariant }
    /** Stop the variant's deployment: after a rollback or abort once no traffic reaches it, and the baseline at the end. */
    | { kind: 'remove-deployment'; variant: DeployVariant }
    /** The canary's version becomes the stable one (the deployer's promote), once the rollout is done. */
    | { kind: 'promote-deployment' }
    | { kind: 'set-weights'; weights: Weights }
    | { kind: 'run-analysis'; analysis: string; window: MetricWindow }
    /** Measures the before-window (the stable version, before any traffic moved) and stores its samples. */
    | { kind: 'capture-baseline'; window: MetricWindow }
    /**
     * Runs one verification check against production: `check` is an analysis name, or
     * `before-after` (this slice measured and stored, then every slice since `since` judged against
     * the before-window). `final`: the last round of the window.
     */
    | { kind: 'run-verification'; check: string; round: number; since: string; window: MetricWindow; final: boolean }
    | { kind: 'request-approval'; role: Role; excludedUser: string; weight: number }
    | { kind: 'notify-owner'; service: string; text: string }
    | { kind: 'record-evidence'; evidence: { kind: EvidenceKind; outcome: EvidenceOutcome; summary: string; ref: string; recordedBy: string } }
    | { kind: 'transition-upgrade'; event: UpgradeEvent; actor: string; reason: string; steps: number[] }
    | { kind: 'record-decision'; text: string; owner: string; evidence: DecisionEvidence }
  );

export type ActionKind = Action['kind'];

/** What a decision rests on, for the operation log: the verdict, the observation, the command. */
export interface DecisionEvidence {
  attempt: number;
  step: number;
  weight: number;
  verdict?: Verdict;
  observation?: Observation;
  refusal?: string;
  /** forbidden: this person may never do it (self-approval, a role the gate does not take); conflict: not in this phase. */
  refusedAs?: 'forbidden' | 'conflict';
}

export interface Decision {
  state: RolloutState;
  actions: Action[];
}
