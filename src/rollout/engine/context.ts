import type { ResolvedRolloutStep } from '../../config/sections/rollout-policy.js';
import type { Action, DecisionEvidence, DeployVariant, PendingAction, RolloutState, Weights, WindowVerdict } from './types.js';

/** The actor of the engine's own decisions in the operation log. */
export const engineActor = 'uf:rollout-engine';

type ActionBody = Action extends infer A ? (A extends Action ? Omit<A, 'id'> : never) : never;

/**
 * One call of `decide`: a private copy of the state and the actions decided so far. Every action
 * gets its id here, from the rollout, attempt, step, kind and the state's sequence, so the same
 * state and observations always yield the same ids.
 */
export class DecisionContext {
  readonly state: RolloutState;
  readonly actions: Action[] = [];
  readonly now: Date;
  /** The change windows' verdict for the service now; undefined when no window applies. */
  readonly window: WindowVerdict | undefined;

  constructor(state: RolloutState, now: Date, window?: WindowVerdict) {
    this.state = structuredClone(state);
    this.now = now;
    this.window = window;
  }

  get nowIso(): string {
    return this.now.toISOString();
  }

  get currentStep(): ResolvedRolloutStep {
    const step = this.state.steps[this.state.step];
    if (!step) throw new Error(`rollout ${this.state.rolloutId} has no step ${this.state.step}`);
    return step;
  }

  emit(body: ActionBody): Action {
    const s = this.state;
    const action = { ...body, id: `${s.rolloutId}/a${s.attempt}/s${s.step}/${body.kind}/${s.seq}` } as Action;
    s.seq += 1;
    this.actions.push(action);
    return action;
  }

  /** Emits an action the reconciler reports back on, and remembers it as pending. */
  emitPending(body: ActionBody & { kind: PendingAction['kind'] }, variant?: DeployVariant): Action {
    const action = this.emit(body);
    this.state.pending.push({ id: action.id, kind: body.kind as PendingAction['kind'], ...(variant ? { variant } : {}) });
    return action;
  }

  takePending(actionId: string): PendingAction | undefined {
    const index = this.state.pending.findIndex((p) => p.id === actionId);
    if (index < 0) return undefined;
    return this.state.pending.splice(index, 1)[0];
  }

  /** Records a decision in the operation log: every decision has its owner and its evidence. */
  record(text: string, owner: string, evidence: Omit<DecisionEvidence, 'attempt' | 'step' | 'weight'> = {}): void {
    const s = this.state;
    this.emit({ kind: 'record-decision', text, owner, evidence: { attempt: s.attempt, step: s.step, weight: s.weights.canary, ...evidence } });
  }

  notify(text: string): void {
    this.emit({ kind: 'notify-owner', service: this.state.service, text });
  }

  /**
   * Asks the router for new weights. The one place weights change, so the safety rules hold here:
   * after a failed verdict no weight rises again in the attempt.
   */
  setWeights(weights: Weights): void {
    const s = this.state;
    if (s.failedInAttempt && (weights.canary > 0 || weights.baseline > 0)) {
      throw new Error(`rollout ${s.rolloutId}: refusing to raise weights after a failed verdict in attempt ${s.attempt}`);
    }
    s.pending = s.pending.filter((p) => p.kind !== 'set-weights');
    s.weights = weights;
    s.weightsConfirmed = false;
    this.emitPending({ kind: 'set-weights', weights });
  }

  /** The weights of a step: the canary's, and a fresh baseline's at the same share when there is room. */
  weightsOf(stepIndex: number): Weights {
    const weight = this.state.steps[stepIndex]?.weight ?? 0;
    return { canary: weight, baseline: this.state.baseline ? Math.min(weight, 100 - weight) : 0 };
  }

  /** Asks to remove this attempt's deployments of `variants` that are still up. */
  removeDeployments(variants: readonly DeployVariant[] = ['canary', 'baseline']): void {
    const removed: DeployVariant[] = [];
    for (const deployed of this.state.deployed) {
      if (deployed.attempt !== this.state.attempt || deployed.removed || !variants.includes(deployed.variant)) continue;
      deployed.removed = true;
      removed.push(deployed.variant);
      this.emit({ kind: 'remove-deployment', variant: deployed.variant });
    }
    if (removed.length > 0) this.record(`no traffic reaches the ${removed.join(' and ')} any more: removing ${removed.length > 1 ? 'them' : 'it'}`, engineActor);
  }

  variants(): DeployVariant[] {
    return this.state.baseline ? ['canary', 'baseline'] : ['canary'];
  }

  weightsText(weights: Weights = this.state.weights): string {
    return this.state.baseline ? `canary ${weights.canary}%, baseline ${weights.baseline}%` : `canary ${weights.canary}%`;
  }
}

/** Pending actions that outlive a step, an attempt or a pause: weight changes and the before-window capture. */
export function keptAcrossSteps(p: PendingAction): boolean {
  return p.kind === 'set-weights' || p.kind === 'capture-baseline';
}

export function later(iso: string | Date, ms: number): string {
  return new Date((typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) + ms).toISOString();
}
