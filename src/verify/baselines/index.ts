export { baselineCapturer, beforeAfterJudge } from './run.js';
export { baselineComparison, type BaselineComparison } from './comparison.js';
export type { BaselineDeps, BaselineSummary, SideFigures } from './types.js';
