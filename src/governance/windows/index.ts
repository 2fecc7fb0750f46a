export * from './types.js';
export { compileWindows, windowVerdict, isOpen, nextOpening, nextClosing, selects, type WindowPolicy } from './policy.js';
export { detectConflicts, type ConflictInput } from './conflicts.js';
export { checkService, factsOf, findConflicts, listWindows, policyOf, windowChecker, type WindowListing, type WindowsDeps } from './service.js';
export { formatInZone, isTimeZone, zonedToInstant, zoneOffsetMinutes } from './zone.js';
