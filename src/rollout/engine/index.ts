export * from './types.js';
export { decide } from './decide.js';
export { startRollout, type StartRollout } from './start.js';
export { engineActor } from './context.js';
