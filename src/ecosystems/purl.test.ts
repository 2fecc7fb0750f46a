import { describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import { buildPurl, canonicalPurl, componentName, ecosystemOfPurlType, looksLikePurl, parsePurl, stripPurlVersion, unversionedPurl } from './purl.js';

describe('parsePurl', () => {
  it('reads every part and decodes them', () => {
    expect(parsePurl('pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=repo.spring.io%2Frelease&type=jar#a/b%20c')).toEqual({
      type: 'maven',
      namespace: 'org.apache.xmlgraphics',
      name: 'batik-anim',
      version: '1.9.1',
      qualifiers: { repository_url: 'repo.spring.io/release', type: 'jar' },
      subpath: 'a/b c',
    });
  });

  it('reads an npm scope encoded as %40 or written plainly', () => {
    const encoded = parsePurl('pkg:npm/%40babel/core@7.24.0');
    const plain = parsePurl('pkg:npm/@babel/core@7.24.0');
    expect(encoded).toEqual(plain);
    expect(encoded).toMatchObject({ namespace: '@babel', name: 'core', version: '7.24.0' });
    expect(parsePurl('pkg:npm/@babel/core')).toMatchObject({ namespace: '@babel', name: 'core' });
    expect(parsePurl('pkg:npm/@babel/core').version).toBeUndefined();
  });

  it('keeps the spelling of names (no per-type rewriting)', () => {
    expect(parsePurl('pkg:npm/JSONStream@1.3.5').name).toBe('JSONStream');
    expect(parsePurl('pkg:pypi/Django_Rest@3.0').name).toBe('Django_Rest');
  });

  it('lower-cases the type and qualifier keys, drops empty qualifiers and . / .. subpath segments', () => {
    expect(parsePurl('pkg:NPM/x@1?Arch=&OS=linux#./a/../b')).toEqual({
      type: 'npm',
      name: 'x',
      version: '1',
      qualifiers: { os: 'linux' },
      subpath: 'a/b',
    });
  });

  it('accepts pkg:// and keeps Debian epochs and Go module paths', () => {
    expect(parsePurl('pkg://deb/debian/curl@1:7.50.3-1?arch=i386')).toMatchObject({ namespace: 'debian', name: 'curl', version: '1:7.50.3-1' });
    expect(parsePurl('pkg:golang/golang.org/x/net@v0.17.0')).toMatchObject({ namespace: 'golang.org/x', name: 'net' });
  });

  it.each([
    ['npm/foo@1', 'does not start'],
    ['pkg:npm', 'no name after the type'],
    ['pkg:npm/', 'no name'],
    ['pkg:1np/foo', 'bad type'],
    ['pkg:npm/foo@1%', 'percent-encoding'],
    ['pkg:npm/%E0%A4%A@1', 'percent-encoding'],
  ])('rejects %s with a typed error', (text, why) => {
    const error = (() => {
      try {
        parsePurl(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UfError);
    expect((error as UfError).code).toBe('import_invalid');
    expect((error as UfError).message).toContain(why);
    expect((error as UfError).location?.record).toBe(text);
  });
});

describe('buildPurl and canonicalPurl', () => {
  it('encodes @ as %40, sorts qualifiers, round-trips', () => {
    const text = buildPurl({ type: 'npm', namespace: '@babel', name: 'core', version: '7.0.0', qualifiers: { z: '1', a: 'b c' } });
    expect(text).toBe('pkg:npm/%40babel/core@7.0.0?a=b%20c&z=1');
    expect(buildPurl(parsePurl(text))).toBe(text);
  });

  it('canonical form drops qualifiers and subpath and normalises the encoding', () => {
    expect(canonicalPurl('pkg:npm/@babel/parser@7.21.2#packages/babel-parser')).toBe('pkg:npm/%40babel/parser@7.21.2');
    expect(canonicalPurl('pkg:Maven/org.keycloak/x@10.0.2?classifier=tests&type=test-jar')).toBe('pkg:maven/org.keycloak/x@10.0.2');
    expect(canonicalPurl('pkg:deb/debian/curl@1:7.50.3-1')).toBe('pkg:deb/debian/curl@1:7.50.3-1');
    expect(canonicalPurl('pkg:gem/x@1.0.0+build')).toBe('pkg:gem/x@1.0.0%2Bbuild');
  });

  it('refuses names that are not well-formed Unicode with a typed error', () => {
    expect(() => buildPurl({ type: 'npm', name: '\uD800', qualifiers: {} })).toThrow(UfError);
  });
});

describe('ecosystem names', () => {
  it.each([
    ['npm', 'npm'], ['maven', 'Maven'], ['pypi', 'PyPI'], ['nuget', 'NuGet'], ['gem', 'RubyGems'], ['golang', 'Go'],
    ['cargo', 'crates.io'], ['composer', 'Packagist'], ['deb', 'Debian'], ['hex', 'Hex'], ['pub', 'Pub'], ['cran', 'CRAN'],
    ['hackage', 'Hackage'], ['swift', 'SwiftURL'], ['conan', 'conan'], ['GENERIC', 'generic'],
  ])('%s → %s', (type, ecosystem) => {
    expect(ecosystemOfPurlType(type)).toBe(ecosystem);
  });

  it.each([
    ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'org.apache.logging.log4j:log4j-core'],
    ['pkg:npm/%40babel/core@7.24.0', '@babel/core'],
    ['pkg:npm/lodash@4.17.21', 'lodash'],
    ['pkg:golang/golang.org/x/net@v0.17.0', 'golang.org/x/net'],
    ['pkg:composer/laravel/framework@10.0.0', 'laravel/framework'],
    ['pkg:swift/github.com/apple/swift-nio@2.0.0', 'github.com/apple/swift-nio'],
    ['pkg:pypi/Django@4.2', 'Django'],
    ['pkg:deb/debian/curl@7.50.3-1', 'curl'],
    ['pkg:cargo/pretty_env_logger@0.4.0', 'pretty_env_logger'],
  ])('componentName(%s) = %s', (purl, name) => {
    expect(componentName(parsePurl(purl))).toBe(name);
  });
});

describe('a package across its versions', () => {
  it('drops version, qualifiers and subpath from a parsed purl', () => {
    const purl = parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar#src');
    expect(canonicalPurl(unversionedPurl(purl))).toBe('pkg:maven/org.apache.logging.log4j/log4j-core');
    expect(unversionedPurl(parsePurl('pkg:npm/lodash@4.17.21'))).toEqual({ type: 'npm', name: 'lodash', qualifiers: {} });
  });

  it('cuts the version off a canonical purl string, npm scopes and Debian epochs included', () => {
    expect(stripPurlVersion('pkg:npm/%40babel/core@7.24.0')).toBe('pkg:npm/%40babel/core');
    expect(stripPurlVersion('pkg:npm/@babel/core')).toBe('pkg:npm/@babel/core');
    expect(stripPurlVersion('pkg:deb/debian/curl@1:7.50.3-1')).toBe('pkg:deb/debian/curl');
  });

  it('tells purl-looking text from other references', () => {
    expect(looksLikePurl('PKG:npm/x')).toBe(true);
    expect(looksLikePurl('urn:uuid:1234')).toBe(false);
  });
});
