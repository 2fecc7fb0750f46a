export { beginRollout, reconcileOnce, rolloutLogAction, type ReconcileOptions, type ReconcileReport, type ReconcilerDeps } from './reconcile.js';
export { analysisRunner, type AnalysisMetric, type AnalysisRunner, type AnalysisSpec, type RunAnalysisAction } from './analysis.js';
