import { isUfError } from '../../../core/errors.js';
import type { InventoryComponent, ParsedInventory } from '../../../core/inventory.js';
import { componentFromPurl, type UsageFacts } from '../component.js';
import { parseWithSchema, type ImportContext } from '../import-context.js';
import { canonicalPurl, componentName, parsePurl } from '../../../ecosystems/purl.js';
import { cycloneDxBomSchema, type CycloneDxBom, type CycloneDxComponent } from './schema.js';
import { baseNameOf, isJsonObject, type InventoryImporter } from '../types.js';

/**
 * Reads a CycloneDX JSON BOM (spec 1.2 to 1.6): every component with a purl, nested ones included.
 * `metadata.component` is the subject; components nested inside it are its own modules
 * (first-party code), so they are not read as dependencies.
 */
export function importCycloneDx(json: unknown, context: ImportContext): ParsedInventory {
  const bom = parseWithSchema(cycloneDxBomSchema, json, context, 'CycloneDX BOM');
  const subject = bom.metadata?.component;
  const isDirect = directRule(bom, subject?.['bom-ref']);
  const components: InventoryComponent[] = [];
  const skipped: ParsedInventory['skipped'] = [];

  const visit = (list: readonly CycloneDxComponent[], nested: boolean): void => {
    for (const entry of list) {
      const usage: UsageFacts = { direct: isDirect(entry['bom-ref'], nested), scope: scopeOf(entry) };
      const outcome =
        entry.purl === undefined ? { reason: 'no purl' } : componentFromPurl(entry.purl, entry.version, usage);
      if ('component' in outcome) components.push(outcome.component);
      else skipped.push({ record: recordOf(entry), reason: outcome.reason });
      if (entry.components) visit(entry.components, true);
    }
  };
  visit(bom.components ?? [], false);

  const result: ParsedInventory = { format: 'cyclonedx', formatVersion: bom.specVersion, components, skipped };
  if (subject) result.subject = describeSubject(subject);
  return result;
}

/**
 * Which components the subject declares itself, from the `dependencies` graph:
 * - the graph has an entry for the subject's bom-ref: its `dependsOn` list is the direct set;
 * - the graph has no such entry (the CycloneDX Maven plugin 2.x omits it): components no other
 *   component depends on are the graph's roots, and nothing but the subject can have brought them;
 * - there is no graph: nothing shows an intermediary, so top-level components count as direct (the
 *   service ships them and there is no parent to upgrade instead) and nested ones, which live inside
 *   their parent component, as transitive.
 */
function directRule(
  bom: CycloneDxBom,
  subjectRef: string | undefined,
): (ref: string | undefined, nested: boolean) => boolean {
  const graph = bom.dependencies ?? [];
  if (graph.length === 0) return (_ref, nested) => !nested;
  const subjectEntry = subjectRef === undefined ? undefined : graph.find((entry) => entry.ref === subjectRef);
  if (subjectEntry) {
    const direct = new Set(subjectEntry.dependsOn ?? []);
    return (ref) => ref !== undefined && direct.has(ref);
  }
  const dependedOn = new Set(graph.flatMap((entry) => entry.dependsOn ?? []));
  return (ref) => ref === undefined || !dependedOn.has(ref);
}

/** `excluded` means not part of the runtime (build or test tooling), which is what `dev` stands for. */
function scopeOf(entry: CycloneDxComponent): UsageFacts['scope'] {
  if (entry.scope === 'excluded') return 'dev';
  if (entry.scope === 'optional') return 'optional';
  return 'runtime';
}

function recordOf(entry: CycloneDxComponent): string {
  if (entry['bom-ref'] !== undefined) return entry['bom-ref'];
  const name = entry.group ? `${entry.group}/${entry.name}` : entry.name;
  return entry.version === undefined ? name : `${name}@${entry.version}`;
}

/** The subject's purl is given without qualifiers, as the join key, like every component's. */
function describeSubject(entry: CycloneDxComponent): NonNullable<ParsedInventory['subject']> {
  const name = entry.group ? `${entry.group}/${entry.name}` : entry.name;
  const subject: NonNullable<ParsedInventory['subject']> = { name };
  if (entry.version !== undefined) subject.version = entry.version;
  if (entry.purl === undefined) return subject;
  try {
    const purl = parsePurl(entry.purl);
    subject.name = componentName(purl);
    subject.version ??= purl.version;
    subject.purl = canonicalPurl(purl);
  } catch (error) {
    // An unreadable subject purl costs only the subject's purl; the components are still good.
    if (!isUfError(error)) throw error;
  }
  return subject;
}

/** CycloneDX JSON: `bomFormat: "CycloneDX"`; by name, `*.cdx.json`, `bom.json` and `*.bom.json`. */
export const cycloneDxImporter: InventoryImporter = {
  id: 'cyclonedx',
  detect: (json) => isJsonObject(json) && json.bomFormat === 'CycloneDX',
  matchesFileName(fileName) {
    const base = baseNameOf(fileName);
    return base.endsWith('.cdx.json') || base === 'bom.json' || base.endsWith('.bom.json');
  },
  parse: importCycloneDx,
};
