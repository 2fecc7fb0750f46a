export { formatCvss } from './format.js';
export { parseCvss } from './parse.js';
export { cvssSeverity } from './severity.js';
export type { CvssResult, CvssSeverity, CvssVersion } from './types.js';
