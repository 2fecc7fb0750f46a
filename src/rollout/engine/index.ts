export * from './types.js';
export { decide, type DecideEnv } from './decide.js';
export { windowOverrideRoles } from './steps.js';
export { startRollout, type StartRollout } from './start.js';
export { engineActor } from './context.js';
