import { basename } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { periodReadout } from '../readout/build-period.js';
import { upgradeReadout } from '../readout/build-upgrade.js';
import { calibrationReport } from '../readout/calibration-gather.js';
import type { ReadoutContext } from '../readout/context.js';
import { parsePeriod, type Period } from '../readout/period.js';
import { renderHtml } from '../readout/render/html.js';
import { renderMarkdown } from '../readout/render/markdown.js';
import type { ReadoutSources } from '../readout/sources.js';
import type { Readout } from '../readout/types.js';
import type { Store } from '../store/open.js';

export const readoutFormats = ['md', 'html', 'pdf'] as const;
export type ReadoutFormat = (typeof readoutFormats)[number];

/**
 * The verification stage's figures the readout shows (incidents, baselines, DORA). None is wired
 * yet: each section they feed says which source is missing. Wire them here once verify/ lands.
 */
export function readoutSources(_store: Store): ReadoutSources {
  return {};
}

export function readoutContext(parts: { store: Store; loaded: LoadedConfig; clock: Clock }, sources: ReadoutSources = readoutSources(parts.store)): ReadoutContext {
  const { config } = parts.loaded;
  return {
    db: parts.store.db,
    economics: config.economics,
    risk: config.risk,
    policySource: parts.loaded.file ? basename(parts.loaded.file) : 'the built-in defaults',
    sources,
    now: parts.clock.now(),
  };
}

/** One readout: of an upgrade (by id), or of a period (`2026-Q4`, `2026-11`, a date range). */
export async function buildReadout(context: ReadoutContext, target: { upgradeId: string } | { period: string | Period }): Promise<Readout> {
  if ('upgradeId' in target) return upgradeReadout(context, target.upgradeId);
  const period = typeof target.period === 'string' ? parsePeriod(target.period) : target.period;
  return periodReadout(context, period);
}

/** Markdown or HTML text of a readout (PDF goes through `renderPdf` with a browser). */
export function readoutText(readout: Readout, format: 'md' | 'html'): string {
  return format === 'md' ? renderMarkdown(readout) : renderHtml(readout);
}

export async function riskCalibration(context: ReadoutContext, period: string | undefined) {
  return calibrationReport({ db: context.db, risk: context.risk, sources: context.sources, windowDays: context.economics.comparisonWindowDays }, period === undefined ? undefined : parsePeriod(period, '--period'));
}
