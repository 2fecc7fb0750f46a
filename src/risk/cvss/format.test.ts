import { describe, expect, it } from 'vitest';
import { formatCvss } from './format.js';
import { parseCvss } from './parse.js';

describe('formatCvss', () => {
  it('prints version, base score and severity on one line', () => {
    expect(formatCvss(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), false)).toBe('CVSS 3.1 base 9.8 CRITICAL');
    expect(formatCvss(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), false)).toBe('CVSS 3.1 base 10.0 CRITICAL');
    expect(formatCvss(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N'), false)).toBe('CVSS 3.1 base 0.0 NONE');
  });

  it('adds the overall score when the vector carries more than base metrics', () => {
    const result = parseCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P');
    expect(formatCvss(result, false)).toBe('CVSS 4.0 base 7.3 HIGH; CVSS-BT 5.9 MEDIUM');
  });

  it('prints JSON with numeric scores for scripts', () => {
    const json: unknown = JSON.parse(formatCvss(parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), true));
    expect(json).toMatchObject({ version: '4.0', baseScore: 9.3, severity: 'CRITICAL', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' });
  });
});
