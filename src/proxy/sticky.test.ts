import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import { parseStickySource, readCookie, stickyKey } from './sticky.js';

const request = (headers: Record<string, string>, remoteAddress = '10.0.0.7'): IncomingMessage =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

describe('parseStickySource', () => {
  it('reads the three forms of --sticky', () => {
    expect(parseStickySource('ip')).toEqual({ kind: 'ip' });
    expect(parseStickySource('header:X-User-Id')).toEqual({ kind: 'header', name: 'x-user-id' });
    expect(parseStickySource('cookie:session')).toEqual({ kind: 'cookie', name: 'session' });
  });

  it('refuses anything else as a usage error', () => {
    for (const bad of ['', 'header:', 'cookie', 'query:id', 'header:a b']) {
      expect(() => parseStickySource(bad)).toThrow(UfError);
    }
  });
});

describe('readCookie', () => {
  it('finds a cookie among others, exactly by name', () => {
    expect(readCookie('a=1; session=abc; b=2', 'session')).toBe('abc');
    expect(readCookie('xsession=no; session=yes', 'session')).toBe('yes');
    expect(readCookie('session="quoted"', 'session')).toBe('quoted');
    expect(readCookie('a=1;b=2', 'b')).toBe('2');
    expect(readCookie('a=1', 'session')).toBeUndefined();
    expect(readCookie(undefined, 'session')).toBeUndefined();
  });
});

describe('stickyKey', () => {
  it('takes the key from a header, a cookie or the client address', () => {
    const req = request({ 'x-user': 'u1', cookie: 'sid=s9' });
    expect(stickyKey(req, { kind: 'header', name: 'x-user' })).toBe('u1');
    expect(stickyKey(req, { kind: 'cookie', name: 'sid' })).toBe('s9');
    expect(stickyKey(req, { kind: 'ip' })).toBe('10.0.0.7');
  });

  it('has no key when the request does not carry it, or stickiness is off', () => {
    const req = request({ 'x-user': '' });
    expect(stickyKey(req, { kind: 'header', name: 'x-user' })).toBeUndefined();
    expect(stickyKey(req, { kind: 'cookie', name: 'sid' })).toBeUndefined();
    expect(stickyKey(req, undefined)).toBeUndefined();
  });
});
