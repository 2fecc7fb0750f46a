export { beginRollout, decideWaiting, decisionRecords, reconcileOnce, rolloutLogAction, type DecisionRecord, type ReconcileOptions, type ReconcileReport, type ReconcilerDeps, type WindowLookup } from './reconcile.js';
export {
  analysisRunner,
  type AnalysisMetric,
  type AnalysisRunner,
  type AnalysisSpec,
  type BaselineCapturer,
  type CaptureBaselineAction,
  type RunAnalysisAction,
  type RunVerificationAction,
  type VerificationRunner,
} from './analysis.js';
