import type { HeaderRoute } from '../../types.js';

export interface RouteMapEntry {
  key: string;
  value: string;
}

const regexSpecial = /[.*+?^${}()|[\]\\]/g;
const literal = (text: string): string => text.replace(regexSpecial, '\\$&');

/**
 * `req.hdrs` is the header block as HAProxy forwards it: one `name: value\r\n` line per header, names
 * in lower case, values trimmed. The key matches one whole line (header), or one whole `name=value`
 * pair inside a `cookie:` line.
 */
export function routeMapEntry(route: HeaderRoute): RouteMapEntry {
  const value = `${route.kind}:${route.name}=${route.value}`;
  if (route.kind === 'header') {
    return { key: `(^|\\n)${literal(route.name.toLowerCase())}: ${literal(route.value)}\\r?(\\n|$)`, value };
  }
  return {
    key: `(^|\\n)cookie: ([^\\r\\n]*; *)?${literal(route.name)}=${literal(route.value)} *(;|\\r|\\n|$)`,
    value,
  };
}

/** The route a map entry stands for, if uf wrote it (the key must be exactly the one uf renders). */
export function routeFromMapEntry(entry: RouteMapEntry): HeaderRoute | undefined {
  const match = /^(header|cookie):([^=]+)=(.+)$/.exec(entry.value);
  if (!match) return undefined;
  const route: HeaderRoute = { kind: match[1] === 'header' ? 'header' : 'cookie', name: match[2] ?? '', value: match[3] ?? '' };
  return routeMapEntry(route).key === entry.key ? route : undefined;
}

/** Entries of `show map <file>`: `0x55d0… <key> <value>`; keys may contain spaces, values cannot. */
export function parseShowMap(output: string): RouteMapEntry[] {
  const entries: RouteMapEntry[] = [];
  for (const line of output.split('\n')) {
    const match = /^0x[0-9a-f]+ (.+) (\S+)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) entries.push({ key: match[1], value: match[2] });
  }
  return entries;
}
