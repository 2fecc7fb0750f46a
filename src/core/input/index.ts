/** Bounded, uniformly decoded reading of user and feed input: every reader goes through here. */
export { defaultInputLimits, formatBytes, inputLimit, limitEnvName, limitSetting, limitsFromEnv, parseByteSize } from './limits.js';
export type { InputKind, InputLimit, InputLimits } from './limits.js';
export { collectInput, readInput, readInputSync, readTextInputSync, tooLarge } from './read.js';
export { gunzipInput, gunzipInputSync, isGzip } from './inflate.js';
export { decodeInputText, firstInvalidUtf8 } from './utf8.js';
