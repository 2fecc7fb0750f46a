import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import { parseOsvRecord } from './parse.js';

/** A small valid record; each case below changes one thing the OSV schema has a rule for. */
function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'GHSA-aaaa-bbbb-cccc',
    modified: '2024-05-01T10:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'left-pad' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
      },
    ],
    ...overrides,
  };
}

function withRange(range: Record<string, unknown>): Record<string, unknown> {
  return record({ affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [range] }] });
}

const sha = 'a'.repeat(40);

function problem(json: unknown): { path: string | undefined; message: string } {
  const error = catchUfError(() => parseOsvRecord(json, { file: 'case.json' }));
  expect(error.code).toBe('import_invalid');
  expect(error.location?.file).toBe('case.json');
  return { path: error.location?.path, message: error.message };
}

describe('the OSV schema, rule by rule', () => {
  it('accepts the base record, nulls where the schema allows them, and unknown nested fields', () => {
    expect(parseOsvRecord(record(), { file: 'ok.json' }).id).toBe('GHSA-aaaa-bbbb-cccc');
    const nulls = parseOsvRecord(record({ aliases: null, affected: null, references: null, severity: null }), { file: 'n.json' });
    expect(nulls).toMatchObject({ aliases: [], affected: [], references: [], severity: [] });
    const extra = record({ affected: [{ package: { ecosystem: 'Debian:11', name: 'x', extra: 1 }, note: 'kept out' }] });
    expect(parseOsvRecord(extra, { file: 'e.json' }).affected[0]?.package).toEqual({ ecosystem: 'Debian:11', name: 'x' });
  });

  it('requires id and modified, and a known id prefix', () => {
    expect(problem(record({ id: undefined })).path).toBe('id');
    expect(problem(record({ modified: undefined })).path).toBe('modified');
    expect(problem(record({ id: 'NOPE-1' })).message).toContain('prefix');
    expect(parseOsvRecord(record({ id: 'x_private-1' }), { file: 'x.json' }).id).toBe('x_private-1');
  });

  it('forbids unknown top-level fields, naming the field', () => {
    expect(problem(record({ severities: [] }))).toMatchObject({ path: 'severities' });
  });

  it('wants RFC 3339 UTC timestamps', () => {
    expect(problem(record({ published: '2024-05-01' })).path).toBe('published');
    expect(problem(record({ withdrawn: '2024-05-01T10:00:00+02:00' })).path).toBe('withdrawn');
  });

  it('knows the ecosystems, with or without suffix', () => {
    const named = (ecosystem: string) => record({ affected: [{ package: { ecosystem, name: 'x' } }] });
    expect(parseOsvRecord(named('Alpine:v3.18'), { file: 'a.json' }).affected[0]?.package?.ecosystem).toBe('Alpine:v3.18');
    expect(problem(named('Gentoo')).path).toBe('affected[0].package.ecosystem');
    expect(problem(named('npm:')).path).toBe('affected[0].package.ecosystem');
  });

  it('wants exactly one kind of version in each event', () => {
    expect(problem(withRange({ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] })).message).toContain('not introduced and fixed');
    expect(problem(withRange({ type: 'SEMVER', events: [{ introduced: '0' }, { fixd: '1' }] })).path).toBe('affected[0].ranges[0].events[1]');
    expect(problem(withRange({ type: 'SEMVER', events: [] })).path).toBe('affected[0].ranges[0].events');
  });

  it('wants an introduced event in every range', () => {
    expect(problem(withRange({ type: 'ECOSYSTEM', events: [{ fixed: '1' }] })).message).toContain('introduced');
  });

  it('does not allow fixed and last_affected in one range', () => {
    const both = withRange({ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1' }, { fixed: '2' }] });
    expect(problem(both)).toMatchObject({ path: 'affected[0].ranges[0].events[2]' });
  });

  it('wants a repo and full commit hashes in GIT ranges', () => {
    expect(problem(withRange({ type: 'GIT', events: [{ introduced: '0' }] })).path).toBe('affected[0].ranges[0].repo');
    const short = withRange({ type: 'GIT', repo: 'https://x', events: [{ introduced: '0' }, { fixed: 'abc123' }] });
    expect(problem(short).path).toBe('affected[0].ranges[0].events[1].fixed');
    const full = withRange({ type: 'GIT', repo: 'https://x', events: [{ introduced: '0' }, { fixed: sha }] });
    expect(parseOsvRecord(full, { file: 'g.json' }).affected[0]?.ranges[0]).toEqual({
      type: 'GIT',
      repo: 'https://x',
      events: [{ introduced: '0' }, { fixed: sha }],
    });
  });

  it('checks each severity score against its type', () => {
    const severity = (type: string, score: string) => record({ severity: [{ type, score }] });
    expect(parseOsvRecord(severity('CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N'), { file: 's.json' }).severity).toHaveLength(1);
    expect(parseOsvRecord(severity('Ubuntu', 'medium'), { file: 's.json' }).severity[0]?.score).toBe('medium');
    expect(problem(severity('CVSS_V3', 'CVSS:2.0/AV:N')).path).toBe('severity[0].score');
    expect(problem(severity('CVSS_V4', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).path).toBe('severity[0].score');
    expect(problem(severity('Ubuntu', 'severe')).path).toBe('severity[0].score');
    expect(problem(severity('CVSS_V5', 'x')).path).toBe('severity[0].type');
  });

  it('does not let an affected entry carry its own severity when the record has one', () => {
    const perPackage = { package: { ecosystem: 'npm', name: 'x' }, severity: [{ type: 'Ubuntu', score: 'low' }] };
    expect(parseOsvRecord(record({ affected: [perPackage] }), { file: 'p.json' }).affected[0]?.severity).toHaveLength(1);
    expect(problem(record({ severity: null, affected: [perPackage] })).path).toBe('affected[0].severity');
  });

  it('accepts reference URLs that are no URI, as the schema asserts no format', () => {
    const references = [{ type: 'PACKAGE', url: 'golang.org/x/net' }];
    expect(parseOsvRecord(record({ references }), { file: 'r.json' }).references).toEqual(references);
    expect(problem(record({ references: [{ type: 'HOMEPAGE', url: 'https://x' }] })).path).toBe('references[0].type');
  });

  it('wants objects where the schema says object', () => {
    expect(problem(record({ database_specific: [] })).path).toBe('database_specific');
    expect(problem(['not', 'a', 'record']).path).toBeUndefined();
  });
});
