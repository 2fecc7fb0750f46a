import { Cron } from 'croner';
import type { AppRoot } from './root.js';
import { intakeParts, runIntake } from './intake.js';

/**
 * Runs intake on the configured cron schedule inside `uf serve`. A run never overlaps the
 * previous one (croner's `protect`); a failed run is logged and the next one still happens.
 */
export function scheduleIntake(root: Pick<AppRoot, 'store' | 'loaded' | 'logger' | 'events' | 'clock' | 'adapters'>): { stop(): void; next(): Date | null } {
  const { store, loaded, logger } = root;
  const job = new Cron(loaded.config.intake.schedule, { protect: true, name: 'intake' }, async () => {
    try {
      const summary = await runIntake(store, loaded, intakeParts(root));
      const meta = { status: summary.status, created: summary.upgrades.created.length, findings: summary.findings.open, problems: summary.problems.length, ms: Math.round(summary.durationMs) };
      // A failed feed keeps its stored data, so nothing else would show it: say so at warn level.
      if (summary.degraded) logger.warn({ ...meta, failedSources: summary.failedSources.map((f) => `${f.source}: ${f.reason ?? f.status}`) }, 'scheduled intake degraded');
      else logger.info(meta, 'scheduled intake finished');
    } catch (error) {
      logger.error({ err: error }, 'scheduled intake failed');
    }
  });
  return { stop: () => job.stop(), next: () => job.nextRun() };
}
