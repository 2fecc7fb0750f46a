export { formatCvss } from './format.js';
export { parseCvss } from './parse.js';
export { cvssSeverity, scoreForLevel, severityLevelOf, severityLevels, severityRank, type SeverityLevel } from './severity.js';
export type { CvssResult, CvssSeverity, CvssVersion } from './types.js';
