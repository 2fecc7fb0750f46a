import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import { parseCvss } from './parse.js';

function parseError(vector: string): UfError {
  try {
    parseCvss(vector);
  } catch (error) {
    if (error instanceof UfError) return error;
    throw error;
  }
  throw new Error(`expected ${vector} to be rejected`);
}

describe('parseCvss', () => {
  it('scores Log4Shell (CVE-2021-44228) as CVSS 3.1 10.0 CRITICAL', () => {
    const result = parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H');
    expect(result).toMatchObject({ version: '3.1', baseScore: 10, severity: 'CRITICAL', overall: { score: 10, label: 'base' } });
    expect(result.metrics).toEqual({ AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'C', C: 'H', I: 'H', A: 'H' });
  });

  it('scores CVSS 3.0 vectors (follow-redirects CVE-2022-0155: 8.0 HIGH)', () => {
    expect(parseCvss('CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H')).toMatchObject({ version: '3.0', baseScore: 8, severity: 'HIGH' });
  });

  it('scores CVSS 4.0 base vectors', () => {
    expect(parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatchObject({
      version: '4.0',
      baseScore: 9.3,
      severity: 'CRITICAL',
      overall: { score: 9.3, severity: 'CRITICAL', label: 'CVSS-B' },
    });
  });

  it('keeps the base score apart from threat metrics in v4.0 (CVSS-BT)', () => {
    const result = parseCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P');
    expect(result.baseScore).toBe(7.3);
    expect(result.overall).toEqual({ score: 5.9, severity: 'MEDIUM', label: 'CVSS-BT' });
  });

  it('labels v3.1 temporal and environmental scores', () => {
    expect(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U').overall).toEqual({ score: 7.8, severity: 'HIGH', label: 'temporal' });
    expect(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/MAV:P').overall.label).toBe('environmental');
    expect(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X').overall.label).toBe('base');
  });

  it('rates a zero score NONE and trims white space', () => {
    const result = parseCvss('  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N\n');
    expect(result).toMatchObject({ baseScore: 0, severity: 'NONE', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' });
  });

  it('accepts metrics in any order', () => {
    expect(parseCvss('CVSS:3.1/A:H/I:H/C:H/S:C/UI:N/PR:N/AC:L/AV:N').baseScore).toBe(10);
  });

  it.each([
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV', /invalid value "Q" for CVSS 3\.1 metric AV \(allowed: N, A, L, P\)/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'A', /missing base metric A /],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', 'ZZ', /unknown CVSS 3\.1 metric "ZZ"/],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV', /metric AV appears more than once/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N', 'SC', /invalid value "S" for CVSS 4\.0 metric SC/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S', 'S', /is not NAME:VALUE/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N', 'AT', /unknown CVSS 3\.1 metric "AT"/],
    ['CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'av', /unknown CVSS 3\.1 metric "av"/],
  ])('rejects %s naming metric %s', (vector, metric, message) => {
    const error = parseError(vector);
    expect(error.code).toBe('parse_error');
    expect(error.location?.path).toBe(metric);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['', /empty CVSS vector/],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', /CVSS v2 vectors are not supported/],
    ['CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P', /unsupported CVSS version "2\.0"/],
    ['CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /empty metric at position 2/],
    ['hello', /not a CVSS vector/],
  ])('rejects %j', (vector, message) => {
    const error = parseError(vector);
    expect(error.code).toBe('parse_error');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});
