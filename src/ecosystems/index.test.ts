import { describe, expect, it } from 'vitest';
import { versionSchemeFor, versionSchemes } from './index.js';

describe('version scheme registry', () => {
  it('keys every scheme by the OSV ecosystem it declares', () => {
    for (const [name, scheme] of Object.entries(versionSchemes)) expect(scheme.ecosystem).toBe(name);
    expect(Object.keys(versionSchemes).sort()).toEqual(
      ['Debian', 'Go', 'Maven', 'NuGet', 'Packagist', 'PyPI', 'RubyGems', 'crates.io', 'npm'].sort(),
    );
  });

  it('finds schemes by OSV name, by name with a release or repository suffix, and ignoring case', () => {
    expect(versionSchemeFor('PyPI')?.ecosystem).toBe('PyPI');
    expect(versionSchemeFor('Debian:11')?.ecosystem).toBe('Debian');
    expect(versionSchemeFor('Debian:sid')?.ecosystem).toBe('Debian');
    expect(versionSchemeFor('Maven:https://maven.google.com')?.ecosystem).toBe('Maven');
    expect(versionSchemeFor('Packagist:https://packages.drupal.org/8')?.ecosystem).toBe('Packagist');
    expect(versionSchemeFor('CRATES.IO')?.ecosystem).toBe('crates.io');
  });

  it('has no scheme for ecosystems it does not order', () => {
    expect(versionSchemeFor('Alpine:v3.16')).toBeUndefined();
    expect(versionSchemeFor('Ubuntu:22.04:LTS')).toBeUndefined();
    expect(versionSchemeFor('')).toBeUndefined();
    expect(versionSchemeFor('toString')).toBeUndefined();
  });
});
