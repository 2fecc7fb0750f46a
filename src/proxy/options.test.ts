import { describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import { assertAdminExposure, isLoopbackHost, parseHostPort, parseMillis, parseWeight } from './options.js';

describe('parseHostPort', () => {
  it('reads host and port, IPv6 in brackets, and :PORT for all interfaces', () => {
    expect(parseHostPort('127.0.0.1:8080', '--listen')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseHostPort('localhost:0', '--listen')).toEqual({ host: 'localhost', port: 0 });
    expect(parseHostPort('[::1]:9901', '--admin')).toEqual({ host: '::1', port: 9901 });
    expect(parseHostPort(':80', '--listen')).toEqual({ host: '0.0.0.0', port: 80 });
  });

  it('refuses what is not HOST:PORT, naming the option', () => {
    for (const bad of ['8080', '127.0.0.1', 'host:99999', 'host:port', '::1:80', '']) {
      expect(() => parseHostPort(bad, '--listen')).toThrow(UfError);
    }
    expect(() => parseHostPort('x', '--admin')).toThrow(/--admin must be HOST:PORT/);
  });
});

describe('parseWeight', () => {
  it('accepts 0..100 with an optional % sign', () => {
    expect([parseWeight('0', 'w'), parseWeight('5', 'w'), parseWeight('12.5%', 'w'), parseWeight(100, 'w')]).toEqual([0, 5, 12.5, 100]);
  });

  it('refuses anything else', () => {
    for (const bad of ['-1', '101', 'five', '', 'NaN']) expect(() => parseWeight(bad, '--canary-weight')).toThrow(UfError);
  });
});

describe('parseMillis', () => {
  it('accepts positive whole milliseconds only', () => {
    expect(parseMillis('250', '--timeout')).toBe(250);
    for (const bad of ['0', '-5', '1.5', 'soon']) expect(() => parseMillis(bad, '--timeout')).toThrow(UfError);
  });
});

describe('the admin address rule', () => {
  it('knows loopback: 127.0.0.0/8, ::1 and localhost', () => {
    for (const host of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '', '10.0.0.1', '128.0.0.1', '127.0.0.256', 'example.com', 'localhost.example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses a non-loopback admin address without a token, and allows it with one', () => {
    expect(() => assertAdminExposure({ host: '0.0.0.0', port: 9901 }, undefined, '--admin')).toThrow(/--admin 0\.0\.0\.0:9901 is not a loopback address: set UF_ADMIN_TOKEN/);
    expect(() => assertAdminExposure({ host: '10.1.2.3', port: 9901 }, '', '--admin')).toThrow(UfError);
    expect(() => assertAdminExposure({ host: '0.0.0.0', port: 9901 }, 'secret', '--admin')).not.toThrow();
    expect(() => assertAdminExposure({ host: '127.0.0.1', port: 9901 }, undefined, '--admin')).not.toThrow();
    expect(() => assertAdminExposure(undefined, undefined, '--admin')).not.toThrow();
  });
});
