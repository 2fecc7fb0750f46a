/** OpenAPI contract diff: load two documents, compare them into oasdiff-named changes. */
export { type ApiChange, type ChangeLevel, knownChecks } from './change.js';
export { atLeast, diffOpenApi, summarize, type DiffOptions } from './diff.js';
export { loadOpenApiFile, loadOpenApiText, type LoadedSpec } from './loader.js';
