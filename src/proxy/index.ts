/** The built-in data-plane router: in-process (`startProxy`) or alone (`uf proxy`, `runProxyCommand`). */
export { assignVariant, bucketOf, hashKey, seedOf } from './assign.js';
export { runProxyCommand, type ProxyCommandOptions, type ProxyCommandRuntime } from './command.js';
export type { ProxyControl, ProxyStats, ResetResult } from './control.js';
export type { WeightsView } from './admin-schema.js';
export { startSampleService, type SampleBehaviour, type SampleService, type SampleServiceOptions } from './sample-service.js';
export { startProxy, type HostPort, type ProxyOptions, type RunningProxy } from './server.js';
export type { OverrideRoute, ProxyTimeouts, StickySource, Variant } from './types.js';
export type { VariantStats } from './variant-meter.js';
