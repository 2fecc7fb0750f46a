/** `${name}` placeholders of journey steps, filled with the captures of earlier steps. */
const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `text` with every `${name}` replaced; a name not captured is left as written (the config check refuses it at load). */
export function fillTemplate(text: string, captures: Readonly<Record<string, string>>): string {
  return text.replace(placeholder, (whole, name: string) => (Object.hasOwn(captures, name) ? captures[name]! : whole));
}

/** The same through a JSON body: every string inside is filled in, numbers and keys are left alone. */
export function fillJson(value: unknown, captures: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return fillTemplate(value, captures);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, captures));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillJson(item, captures)]));
  return value;
}

/** Capture names whose values never show in results or logs. */
const secretName = /secret|token|password|passwd|key|auth|session|cookie|credential/i;

export function redactCaptures(captures: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(captures).map(([name, value]) => [name, secretName.test(name) ? '[redacted]' : value]));
}

/** A base URL and a step URL (relative to it, or absolute) as one URL; the base's path is kept. */
export function resolveStepUrl(baseUrl: string, url: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}
