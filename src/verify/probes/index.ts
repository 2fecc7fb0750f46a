export { runJourney } from './run.js';
export { forcingHeaders, readOverrideRoute, variantTarget, type ProbeVariant, type VariantTarget } from './target.js';
export { playwrightLauncher, type BrowserLauncher } from './browser.js';
export type { CheckOutcome, IterationResult, JourneyResult, JourneyState, ProbeDeps, ProbeOptions, ProbeTarget, StepResult, ThresholdOutcome } from './types.js';
export { configuredTarget, createJourneyProbes, findJourney, type JourneyProbes, type TargetChoice } from './configured.js';
export { formatJourneyResult } from './format.js';
