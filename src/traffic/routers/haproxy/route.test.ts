import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import type { HeaderRoute } from '../../types.js';
import { parseShowMap, routeFromMapEntry, routeMapEntry } from './route.js';
import { assertHeaderRoute } from '../../validate.js';

/** `req.hdrs` as HAProxy builds it: lower-case names, `name: value\r\n` lines, then an empty line. */
const headerBlock = (lines: string[]): string => `${lines.map((line) => `${line}\r\n`).join('')}\r\n`;
// The keys are PCRE; these constructs read the same in JavaScript, so the matching is checked here.
const matches = (route: HeaderRoute, lines: string[]): boolean => new RegExp(routeMapEntry(route).key).test(headerBlock(lines));

describe('route map entries', () => {
  const header: HeaderRoute = { kind: 'header', name: 'X-UF-Canary', value: 'always' };
  const cookie: HeaderRoute = { kind: 'cookie', name: 'uf_canary', value: 'a.b' };

  it('matches the whole header line, by lower-case name and exact value', () => {
    expect(matches(header, ['host: shop', 'x-uf-canary: always'])).toBe(true);
    expect(matches(header, ['x-uf-canary: always', 'accept: */*'])).toBe(true);
    for (const line of ['x-uf-canary: alwaysx', 'x-uf-canary: Always', 'y-x-uf-canary: always', 'x-other: always']) {
      expect(matches(header, ['host: shop', line]), line).toBe(false);
    }
  });

  it('matches one whole name=value pair in a cookie line, and treats regex characters literally', () => {
    for (const line of ['cookie: uf_canary=a.b', 'cookie: theme=dark; uf_canary=a.b', 'cookie: uf_canary=a.b; theme=dark']) {
      expect(matches(cookie, ['host: shop', line]), line).toBe(true);
    }
    for (const line of ['cookie: uf_canary=aXb', 'cookie: xuf_canary=a.b', 'cookie: theme=uf_canary=a.b', 'uf_canary: a.b', 'x-cookie: uf_canary=a.b']) {
      expect(matches(cookie, ['host: shop', line]), line).toBe(false);
    }
  });

  it('reads back only entries whose key is exactly the one uf renders for their value', () => {
    expect(routeFromMapEntry(routeMapEntry(header))).toEqual(header);
    expect(routeFromMapEntry(routeMapEntry(cookie))).toEqual(cookie);
    expect(routeFromMapEntry({ key: '.*', value: routeMapEntry(header).value })).toBeUndefined();
    expect(routeFromMapEntry({ key: '.*', value: 'something-else' })).toBeUndefined();
  });

  it('parses `show map` lines whose keys contain spaces', () => {
    const entry = routeMapEntry(cookie);
    expect(parseShowMap(`0x55b80fb3e710 ${entry.key} ${entry.value}\n\n`)).toEqual([entry]);
    expect(parseShowMap('\n')).toEqual([]);
  });
});

describe('assertHeaderRoute', () => {
  it('rejects names and values that cannot travel safely, as usage errors', () => {
    const bad: HeaderRoute[] = [
      { kind: 'header', name: 'x canary', value: 'on' },
      { kind: 'header', name: 'x_canary', value: 'on' },
      { kind: 'header', name: '', value: 'on' },
      { kind: 'cookie', name: 'a;b', value: 'on' },
      { kind: 'header', name: 'x-canary', value: 'a b' },
      { kind: 'header', name: 'x-canary', value: 'a;b' },
      { kind: 'header', name: 'x-canary', value: '"on"' },
      { kind: 'header', name: 'x-canary', value: '$on' },
      { kind: 'header', name: 'x-canary', value: 'x'.repeat(129) },
      { kind: 'query' as 'header', name: 'x-canary', value: 'on' },
    ];
    for (const route of bad) {
      let error: unknown;
      try {
        assertHeaderRoute(route);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(route)).toBeInstanceOf(UfError);
      expect((error as UfError).code).toBe('usage');
    }
    expect(() => assertHeaderRoute({ kind: 'cookie', name: 'uf.canary-1', value: 'team=a/b:c@d~e+f' })).not.toThrow();
  });
});
