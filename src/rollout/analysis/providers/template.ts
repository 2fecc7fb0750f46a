import type { MetricWindow, Variant } from '../types.js';

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The window's length in milliseconds. */
export function windowMs(window: MetricWindow): number {
  return Date.parse(window.end) - Date.parse(window.start);
}

/** A length of time as a PromQL duration: `5m`, `90s`, `1h`, `1500ms`. */
export function promDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  if (whole % 3_600_000 === 0) return `${whole / 3_600_000}h`;
  if (whole % 60_000 === 0) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

/** What `{{variant}}` becomes: the source's own name for the variant when the settings give one. */
export function variantValue(variant: Variant, names: Partial<Record<Variant, string>> | undefined): string {
  return names?.[variant] ?? variant;
}

/**
 * Fills the `{{name}}` placeholders of `template` with `values`, each passed through `encode`
 * (URL-encoding for URLs, string escaping for PromQL). The config schema has refused unknown
 * names already; one that slips through anyway is left as written.
 */
export function renderTemplate(template: string, values: Record<string, string>, encode: (value: string) => string = (value) => value): string {
  return template.replace(placeholderPattern, (whole, name: string) => (Object.hasOwn(values, name) ? encode(values[name]!) : whole));
}

/** Escapes a value for a PromQL double-quoted string (label values are where placeholders sit). */
export function promqlEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
