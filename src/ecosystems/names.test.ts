import { describe, expect, it } from 'vitest';
import { ecosystemBase, normalizedPackageKey, normalizePackageName, packageKey, packageLabel, packageVersionKey, splitPackageKey } from './names.js';

describe('ecosystemBase', () => {
  it('drops the suffix and keeps names without one', () => {
    expect(ecosystemBase('Debian:11')).toBe('Debian');
    expect(ecosystemBase('Alpine:v3.18')).toBe('Alpine');
    expect(ecosystemBase('Ubuntu:Pro:18.04:LTS')).toBe('Ubuntu');
    expect(ecosystemBase('crates.io')).toBe('crates.io');
  });
});

describe('normalizePackageName', () => {
  it('joins the spellings the shared advisories use (README section 2b)', () => {
    expect(normalizePackageName('npm', 'Axios')).toBe(normalizePackageName('npm', 'axios'));
    expect(normalizePackageName('PyPI', 'Django')).toBe(normalizePackageName('PyPI', 'django'));
    expect(normalizePackageName('PyPI', 'Jinja2')).toBe(normalizePackageName('PyPI', 'jinja2'));
    expect(normalizePackageName('PyPI', 'Pillow')).toBe('pillow');
  });

  it('applies PEP 503 to PyPI names', () => {
    expect(normalizePackageName('PyPI', 'Zope.Interface')).toBe('zope-interface');
    expect(normalizePackageName('PyPI', 'typing__extensions')).toBe('typing-extensions');
    expect(normalizePackageName('PyPI', 'zope.interface__x--y')).toBe('zope-interface-x-y');
  });

  it('lower-cases npm and NuGet, keeping npm scopes', () => {
    expect(normalizePackageName('npm', '@Cypress/Request')).toBe('@cypress/request');
    expect(normalizePackageName('NuGet', 'Newtonsoft.Json')).toBe('newtonsoft.json');
  });

  it('keeps case-sensitive ecosystems as written', () => {
    expect(normalizePackageName('Maven', 'org.apache.logging.log4j:log4j-core')).toBe('org.apache.logging.log4j:log4j-core');
    expect(normalizePackageName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml');
    expect(normalizePackageName('Debian:12', 'Foo')).toBe('Foo');
    expect(normalizePackageName('Maven', 'org.Foo:Bar')).toBe('org.Foo:Bar');
  });
});

describe('package keys', () => {
  it('keep ecosystem and name apart even when either holds a colon', () => {
    expect(packageKey('Maven', 'org.example:lib')).not.toBe(packageKey('Maven:org.example', 'lib'));
    expect(splitPackageKey(packageKey('Maven', 'org.example:lib'))).toEqual(['Maven', 'org.example:lib']);
    expect(splitPackageKey(packageKey('Debian:12', 'curl'))).toEqual(['Debian:12', 'curl']);
  });

  it('extend to a version without clashing with another package', () => {
    expect(packageVersionKey('npm', 'a', 'b')).toBe(`${packageKey('npm', 'a')}\u0000b`);
    expect(packageVersionKey('npm', 'a', '1.0.0')).not.toBe(packageVersionKey('npm', 'a\u00001.0.0', ''));
  });

  it('join spellings of one package when normalised, across ecosystem suffixes', () => {
    expect(normalizedPackageKey('PyPI', 'Django_X')).toBe(normalizedPackageKey('PyPI', 'django-x'));
    expect(normalizedPackageKey('Debian:11', 'curl')).toBe(packageKey('Debian', 'curl'));
    expect(normalizedPackageKey('Maven', 'org.Foo:Bar')).not.toBe(normalizedPackageKey('Maven', 'org.foo:bar'));
  });

  it('label a package the way messages show it', () => {
    expect(packageLabel('npm', '@babel/core')).toBe('npm:@babel/core');
  });
});
