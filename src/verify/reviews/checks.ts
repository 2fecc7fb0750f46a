import { stringify } from 'yaml';
import type { CompatCheckSettings, CompatSettings } from '../../config/sections/compat.js';
import type { Db } from '../../store/db.js';
import { actionsForServices } from './store.js';
import type { ReviewAction } from './types.js';

/**
 * The compat settings an upgrade of `services` runs with: factory.yaml's checks, then the checks
 * post-implementation reviews added for those services (each limited to its service). The stored
 * checks apply at once, without anyone rewriting factory.yaml; a check of the same id in
 * factory.yaml wins, so folding the suggested patch in (reviewPatch) never runs a check twice.
 */
export async function withReviewChecks(db: Db, compat: CompatSettings, services: readonly string[]): Promise<{ compat: CompatSettings; added: { check: CompatCheckSettings; actionId: string }[] }> {
  const configured = new Set(compat.checks.map((c) => c.id));
  const added = (await actionsForServices(db, services, { kinds: ['compat-check'] }))
    .flatMap(({ action }) => (action.detail.kind === 'compat-check' && !configured.has(action.detail.check.id) ? [{ check: action.detail.check, actionId: action.id }] : []));
  return { compat: { ...compat, checks: [...compat.checks, ...added.map((a) => a.check)] }, added };
}

/**
 * The factory.yaml edit an action stands for, as YAML to paste: a compat check under
 * `compat.checks`, or the threshold to set. Checklist items have none.
 */
export function reviewPatch(action: ReviewAction): string | null {
  const detail = action.detail;
  if (detail.kind === 'compat-check') return `# from review action ${action.id}: ${action.title}\n${stringify({ compat: { checks: [detail.check] } })}`;
  if (detail.kind === 'threshold') return `# from review action ${action.id}: ${action.title}\n# analysis ${detail.analysis}, metric ${detail.metric}: ${detail.from ?? '(current)'} -> ${detail.to}\n`;
  return null;
}
