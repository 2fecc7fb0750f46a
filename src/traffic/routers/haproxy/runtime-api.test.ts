import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { cliArgument, parseRuntimeApiAddress } from './runtime-api.js';

describe('parseRuntimeApiAddress', () => {
  it('reads the forms haproxy.cfg uses for `stats socket`', () => {
    expect(parseRuntimeApiAddress('/run/haproxy/admin.sock')).toEqual({ kind: 'unix', path: '/run/haproxy/admin.sock' });
    expect(parseRuntimeApiAddress('unix@/run/haproxy/admin.sock')).toEqual({ kind: 'unix', path: '/run/haproxy/admin.sock' });
    expect(parseRuntimeApiAddress('127.0.0.1:9999')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 9999 });
    expect(parseRuntimeApiAddress('ipv4@lb.internal:9999')).toEqual({ kind: 'tcp', host: 'lb.internal', port: 9999 });
    expect(parseRuntimeApiAddress('[::1]:9999')).toEqual({ kind: 'tcp', host: '::1', port: 9999 });
  });

  it('rejects anything else as invalid configuration', () => {
    for (const text of ['haproxy', 'host:0', 'host:70000', 'host:']) {
      expect(() => parseRuntimeApiAddress(text), text).toThrow(UfError);
    }
  });
});

describe('cliArgument', () => {
  it('escapes what the runtime API would split on or unescape', () => {
    expect(cliArgument('a b;c\\d')).toBe('a\\ b\\;c\\\\d');
    expect(cliArgument('/plain/path.map')).toBe('/plain/path.map');
  });
});
