import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { readComposerJson, readComposerLock } from './composer.js';
import { evaluate } from './evaluate.js';
import { readGemfileLock } from './gemfile-lock.js';
import { readPom } from './maven-pom.js';
import { readPackageJson, readPackageLock } from './npm.js';
import { readCoreMetadata, readRequirementsTxt } from './python.js';
import { component, fixture } from './testing.js';
import type { ManifestDeclarations } from './types.js';
import { readWordpressHeaders } from './wordpress.js';

/** Each reader with a real fixture of its format, so cut and spliced inputs stay near the format. */
const readers: [string, (text: string, file: string) => ManifestDeclarations, string][] = [
  ['package.json', readPackageJson, fixture('date-picker', 'package.json')],
  ['package-lock.json', readPackageLock, fixture('shop-web', 'package-lock.json')],
  ['composer.json', readComposerJson, fixture('drupal-site', 'composer.json')],
  ['composer.lock', readComposerLock, fixture('drupal-site', 'composer.lock')],
  ['Gemfile.lock', readGemfileLock, fixture('rails-app', 'Gemfile.lock')],
  ['METADATA', readCoreMetadata, fixture('python-lib', 'METADATA')],
  ['requirements.txt', readRequirementsTxt, fixture('python-lib', 'requirements.txt')],
  ['pom.xml', readPom, fixture('orders-service', 'pom.xml')],
  ['readme.txt', readWordpressHeaders, fixture('wp-plugin', 'readme.txt')],
];

describe('manifest readers on damaged input', () => {
  for (const [name, read, file] of readers) {
    const original = readFileSync(file, 'utf8');
    it(`${name}: a cut or spliced manifest is read or refused with a UfError naming the file, and what is read evaluates without throwing`, () => {
      const damaged = fc.oneof(
        fc.nat(original.length).map((at) => original.slice(0, at)),
        fc.tuple(fc.nat(original.length), fc.nat(original.length), fc.string({ maxLength: 20 })).map(([a, b, text]) => original.slice(0, Math.min(a, b)) + text + original.slice(Math.max(a, b))),
        fc.string({ maxLength: 200 }),
      );
      fc.assert(
        fc.property(damaged, (text) => {
          let reading: ManifestDeclarations;
          try {
            reading = read(text, file);
          } catch (error) {
            expect(error).toBeInstanceOf(UfError);
            expect((error as UfError).location?.file).toBe(file);
            return;
          }
          for (const constraint of [...reading.root, ...reading.packages.flatMap((pkg) => pkg.constraints)]) {
            const outcome = evaluate(constraint, component(constraint.syntax, constraint.on, '1.0.0'));
            expect(['holds', 'excludes', 'warns', 'informs', 'unreadable']).toContain(outcome.verdict);
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
