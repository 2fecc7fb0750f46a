import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cvssV2Source, cvssV3Source, cvssV4Source, ecosystemSource, idPrefixSource, ubuntuSeverities } from './patterns.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const osvSchema = sharedData('osv/schema');
const schemaFile = osvSchema.path('schema.json');

interface SeverityRule {
  if: { properties: { type: { const: string } } };
  then: { properties: { score: { pattern?: string; enum?: string[] } } };
}

interface OsvJsonSchema {
  $defs: {
    prefix: { pattern: string };
    ecosystemWithSuffix: { pattern: string };
    severity: { items: { allOf: SeverityRule[] } };
  };
}

describe.skipIf(!osvSchema.available)(`patterns match the OSV JSON schema file${osvSchema.skipNote}`, () => {
  // Read inside the tests: a skipped describe still runs its body.
  const schema = (): OsvJsonSchema => JSON.parse(readFileSync(schemaFile, 'utf8')) as OsvJsonSchema;
  const score = (type: string) => schema().$defs.severity.items.allOf.find((rule) => rule.if.properties.type.const === type)?.then.properties.score;

  it('copies the id prefixes and ecosystem names verbatim', () => {
    expect(idPrefixSource).toBe(schema().$defs.prefix.pattern);
    expect(ecosystemSource).toBe(schema().$defs.ecosystemWithSuffix.pattern);
  });

  it('copies the severity score rules verbatim', () => {
    expect(cvssV2Source).toBe(score('CVSS_V2')?.pattern);
    expect(cvssV3Source).toBe(score('CVSS_V3')?.pattern);
    expect(cvssV4Source).toBe(score('CVSS_V4')?.pattern);
    expect([...ubuntuSeverities]).toEqual(score('Ubuntu')?.enum);
  });
});
