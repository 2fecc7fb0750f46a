import { isUfError } from '../../../core/errors.js';
import type { InventoryComponent, ParsedInventory } from '../../../core/inventory.js';
import { componentFromPurl } from '../component.js';
import { parseWithSchema, type ImportContext } from '../import-context.js';
import { canonicalPurl, parsePurl } from '../../../ecosystems/purl.js';
import { dependencyEdges, describedElements, usageRule } from './relationships.js';
import { spdxDocumentSchema, type SpdxPackage } from './schema.js';
import { baseNameOf, isJsonObject, type InventoryImporter } from '../types.js';

/** SPDX 2.2 wrote the category with an underscore, 2.3 with a hyphen. */
const packageManagerCategories: ReadonlySet<string> = new Set(['PACKAGE-MANAGER', 'PACKAGE_MANAGER']);

/** Reads an SPDX 2.x JSON document: every package with a purl; the described package is the subject. */
export function importSpdx(json: unknown, context: ImportContext): ParsedInventory {
  const doc = parseWithSchema(spdxDocumentSchema, json, context, 'SPDX document');
  const packages = doc.packages ?? [];
  const described = describedElements(doc);
  const subjectPackage = packages.find((pkg) => described.includes(pkg.SPDXID));
  const usageOf = usageRule(dependencyEdges(doc.relationships ?? []), described);
  const components: InventoryComponent[] = [];
  const skipped: ParsedInventory['skipped'] = [];

  for (const pkg of packages) {
    if (pkg === subjectPackage) continue;
    const purl = purlOf(pkg);
    const outcome =
      purl === undefined
        ? { reason: 'no purl: no PACKAGE-MANAGER external reference of type purl' }
        : componentFromPurl(purl, pkg.versionInfo, usageOf(pkg.SPDXID));
    if ('component' in outcome) components.push(outcome.component);
    else skipped.push({ record: pkg.SPDXID, reason: outcome.reason });
  }

  const result: ParsedInventory = { format: 'spdx', formatVersion: doc.spdxVersion, components, skipped };
  if (subjectPackage) result.subject = describeSubject(subjectPackage);
  return result;
}

function purlOf(pkg: SpdxPackage): string | undefined {
  return pkg.externalRefs?.find(
    (ref) => ref.referenceType === 'purl' && packageManagerCategories.has(ref.referenceCategory),
  )?.referenceLocator;
}

function describeSubject(pkg: SpdxPackage): NonNullable<ParsedInventory['subject']> {
  const subject: NonNullable<ParsedInventory['subject']> = { name: pkg.name };
  if (pkg.versionInfo !== undefined && pkg.versionInfo !== 'NOASSERTION') subject.version = pkg.versionInfo;
  const text = purlOf(pkg);
  if (text === undefined) return subject;
  try {
    subject.purl = canonicalPurl(parsePurl(text));
  } catch (error) {
    // An unreadable subject purl costs only the subject's purl; the packages are still good.
    if (!isUfError(error)) throw error;
  }
  return subject;
}

/** SPDX 2.x JSON: `spdxVersion: "SPDX-…"`; by name, `*.spdx.json`. */
export const spdxImporter: InventoryImporter = {
  id: 'spdx',
  detect: (json) => isJsonObject(json) && typeof json.spdxVersion === 'string' && json.spdxVersion.startsWith('SPDX-'),
  matchesFileName: (fileName) => baseNameOf(fileName).endsWith('.spdx.json'),
  parse: importSpdx,
};
