import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import { buildPurl, canonicalPurl, parsePurl, type PackageUrl } from './purl.js';

describe('purl round trips', () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
  // Namespace and subpath are '/'-separated paths, so their segments cannot hold a '/'.
  const segment = text.filter((s) => s !== '.' && s !== '..' && !s.includes('/'));
  const purl: fc.Arbitrary<PackageUrl> = fc.record(
    {
      type: fc.stringMatching(/^[a-z][a-z0-9.+-]{0,8}$/),
      namespace: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
      name: text,
      version: text,
      qualifiers: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._-]{0,6}$/), text, { maxKeys: 3 }),
      subpath: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
    },
    { requiredKeys: ['type', 'name', 'qualifiers'] },
  );

  it('parsePurl(buildPurl(p)) gives p back', () => {
    fc.assert(
      fc.property(purl, (parts) => {
        expect(parsePurl(buildPurl(parts))).toEqual(parts);
      }),
      { numRuns: 500 },
    );
  });

  it('canonicalPurl is idempotent on anything parsePurl accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }).map((rest) => `pkg:${rest}`), (candidate) => {
        let once: string;
        try {
          once = canonicalPurl(candidate);
        } catch (error) {
          expect(error).toBeInstanceOf(UfError);
          return;
        }
        expect(canonicalPurl(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
