import { describe, expect, it } from 'vitest';
import { ecosystemBase, normalizePackageName } from './names.js';

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
  });

  it('lower-cases npm and NuGet, keeping npm scopes', () => {
    expect(normalizePackageName('npm', '@Cypress/Request')).toBe('@cypress/request');
    expect(normalizePackageName('NuGet', 'Newtonsoft.Json')).toBe('newtonsoft.json');
  });

  it('keeps case-sensitive ecosystems as written', () => {
    expect(normalizePackageName('Maven', 'org.apache.logging.log4j:log4j-core')).toBe('org.apache.logging.log4j:log4j-core');
    expect(normalizePackageName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml');
    expect(normalizePackageName('Debian:12', 'Foo')).toBe('Foo');
  });
});
