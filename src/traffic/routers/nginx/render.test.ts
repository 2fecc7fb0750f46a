import { describe, expect, it } from 'vitest';
import { readStateLine, renderNginxInclude, routeStateOf } from './render.js';
import type { NginxTarget } from './types.js';

const target: NginxTarget = { service: 'shop', stable: '10.0.0.1:80', canary: '10.0.0.2:80', statusListen: '127.0.0.1:8099' };

/** The map's regex as nginx reads it (inside "…", nginx keeps `\.` and `\s` as they are). */
const mapRegex = (include: string): RegExp => {
  const source = /^ {4}"~(.*)" uf_shop_canary;$/m.exec(include)?.[1];
  if (source === undefined) throw new Error('no route regex in the include');
  return new RegExp(source);
};

describe('renderNginxInclude', () => {
  it('weights the upstream 100−p / p and takes the 0 % side out with `down` (nginx refuses weight=0)', () => {
    expect(renderNginxInclude(target, { generation: 2, canary: 25 })).toContain(
      'upstream uf_shop_weighted {\n    server 10.0.0.1:80 weight=75;\n    server 10.0.0.2:80 weight=25;\n    keepalive 32;\n}',
    );
    expect(renderNginxInclude(target, { generation: 2, canary: 0 })).toContain('    server 10.0.0.2:80 down;\n');
    expect(renderNginxInclude(target, { generation: 2, canary: 100 })).toContain('    server 10.0.0.1:80 down;\n    server 10.0.0.2:80 weight=100;\n');
  });

  it('weights a baseline server in the same upstream block, and records its share in the state', () => {
    const withBaseline: NginxTarget = { ...target, baseline: '10.0.0.3:80' };
    const include = renderNginxInclude(withBaseline, { generation: 4, canary: 5, baseline: 5 });
    expect(include).toContain('upstream uf_shop_weighted {\n    server 10.0.0.1:80 weight=90;\n    server 10.0.0.2:80 weight=5;\n    server 10.0.0.3:80 weight=5;\n    keepalive 32;\n}');
    expect(readStateLine(include)).toMatchObject({ canary: 5, baseline: 5, stable: 90 });
    expect(renderNginxInclude(withBaseline, routeStateOf(readStateLine(include)!))).toBe(include);
    expect(renderNginxInclude(withBaseline, { generation: 4, canary: 20 })).toContain('    server 10.0.0.3:80 down;\n');
    // Without a baseline server the file is what it always was: no baseline in the state.
    expect(readStateLine(renderNginxInclude(target, { generation: 4, canary: 5 }))).not.toHaveProperty('baseline');
  });

  it('without a route, every request takes the weighted upstream', () => {
    expect(renderNginxInclude(target, { generation: 1, canary: 0 })).toContain('map "" $uf_shop_upstream {\n    default uf_shop_weighted;\n}');
  });

  it('routes a header by its $http_ variable, with a case-sensitive whole-value regex', () => {
    const include = renderNginxInclude(target, { generation: 3, canary: 0, route: { kind: 'header', name: 'X-UF-Canary', value: 'a.b' } });
    expect(include).toContain('map $http_x_uf_canary $uf_shop_upstream {');
    const regex = mapRegex(include);
    expect(['a.b'].map((value) => regex.test(value))).toEqual([true]);
    expect(['aXb', 'A.B', 'a.bc', 'xa.b'].map((value) => regex.test(value))).toEqual([false, false, false, false]);
  });

  it('routes a cookie by one whole name=value pair of the Cookie header', () => {
    const include = renderNginxInclude(target, { generation: 3, canary: 0, route: { kind: 'cookie', name: 'uf_canary', value: 'always' } });
    expect(include).toContain('map $http_cookie $uf_shop_upstream {');
    const regex = mapRegex(include);
    for (const cookie of ['uf_canary=always', 'a=1; uf_canary=always', 'uf_canary=always; a=1']) expect(regex.test(cookie), cookie).toBe(true);
    for (const cookie of ['xuf_canary=always', 'uf_canary=alwaysx', 'a=uf_canary=always', 'uf_canary=never']) expect(regex.test(cookie), cookie).toBe(false);
  });

  it('answers the state on the status endpoint and records it in the file, which reads back to the same file', () => {
    const state = { generation: 7, canary: 40, route: { kind: 'cookie' as const, name: 'uf_canary', value: 'always' } };
    const include = renderNginxInclude(target, state);
    const json = '{"service":"shop","generation":7,"canary":40,"stable":60,"route":{"kind":"cookie","name":"uf_canary","value":"always"}}';
    expect(include).toContain(`    server_name uf-state.shop;`);
    expect(include).toContain(`        return 200 '${json}';`);
    const record = readStateLine(include);
    expect(record).toEqual(JSON.parse(json));
    expect(renderNginxInclude(target, routeStateOf(record!))).toBe(include);
  });

  it('finds no state in a file uf did not write', () => {
    expect(readStateLine('upstream app { server 10.0.0.1; }\n')).toBeUndefined();
    expect(readStateLine('# uf-state {not json}\n')).toBeUndefined();
  });
});
