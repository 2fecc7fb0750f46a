import { UfError } from '../../../core/errors.js';
import { LineIndex } from './text.js';
import type { DeclaredConstraint, ManifestDeclarations, ManifestNote } from './types.js';

/*
 * A minimal pom.xml reader (the project has no XML parser): it reads only `<properties>`, the
 * project's own coordinates and each `<dependency>`'s groupId, artifactId and version, which in a
 * pom are plain text elements. Comments and CDATA are blanked out first (keeping offsets, for line
 * numbers) so a commented-out dependency is not read.
 */

const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (value: string): string => value.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => entities[name] ?? '');

function blankOut(text: string): string {
  return text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, (hidden) => hidden.replace(/[^\n]/g, ' '));
}

/** The text of the first `<tag>` in `block` (blank nested blocks out first with `without`). */
function child(block: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(block);
  return match ? decode(match[1] ?? '').trim() : undefined;
}

/** `block` with every `<tag>…</tag>` element blanked, so a child lookup does not reach into it. */
function without(block: string, ...tags: string[]): string {
  return tags.reduce((text, tag) => text.replace(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, 'g'), (hidden) => hidden.replace(/[^\n]/g, ' ')), block);
}

/** `${name}` references replaced from the properties (and project coordinates); undefined when one is unknown. */
function resolve(value: string, properties: ReadonlyMap<string, string>, depth = 0): string | undefined {
  if (!value.includes('${')) return value;
  if (depth > 10) return undefined;
  let unknown = false;
  const replaced = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const found = properties.get(name);
    if (found === undefined) unknown = true;
    return found ?? '';
  });
  return unknown ? undefined : resolve(replaced, properties, depth + 1);
}

/** Whether a Maven version spec is a range (hard requirement) rather than a soft "recommended" version. */
export const isMavenRange = (spec: string): boolean => /^[[(]/.test(spec.trim());

/**
 * pom.xml: each `<dependency>` (in `<dependencies>`, `<dependencyManagement>` or a plugin's) with a
 * version. A bracketed version is a hard range (family `maven-range`); a bare version is Maven's
 * soft requirement, which the resolver may replace (family `maven-soft-version`, never a failure).
 */
export function readPom(text: string, file: string): ManifestDeclarations {
  const clean = blankOut(text);
  const project = /<project[\s>][\s\S]*<\/project>/.exec(clean);
  if (!project) throw new UfError('parse_error', 'no <project> element: expected a Maven pom.xml', { file });
  const top = without(project[0].replace(/^<project[^>]*>/, ''), 'parent', 'dependencies', 'dependencyManagement', 'build', 'profiles', 'properties', 'reporting', 'modules');
  const parent = /<parent>([\s\S]*?)<\/parent>/.exec(clean)?.[1] ?? '';
  const groupId = child(top, 'groupId') ?? child(parent, 'groupId');
  const artifactId = child(top, 'artifactId');
  const version = child(top, 'version') ?? child(parent, 'version');

  const properties = new Map<string, string>();
  for (const block of clean.matchAll(/<properties>([\s\S]*?)<\/properties>/g)) {
    for (const entry of (block[1] ?? '').matchAll(/<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g)) properties.set(entry[1] ?? '', decode(entry[2] ?? '').trim());
  }
  for (const [key, value] of [['project.groupId', groupId], ['project.artifactId', artifactId], ['project.version', version]] as const) {
    if (value !== undefined) properties.set(key, value);
  }

  const name = groupId !== undefined && artifactId !== undefined ? `${groupId}:${artifactId}` : artifactId;
  const declaredBy = name ?? 'pom.xml';
  const root: DeclaredConstraint[] = [];
  const lines = new LineIndex(text);
  const notes: ManifestNote[] = [];
  for (const dependency of clean.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const body = without(dependency[1] ?? '', 'exclusions');
    const group = child(body, 'groupId');
    const artifact = child(body, 'artifactId');
    const written = child(body, 'version');
    if (group === undefined || artifact === undefined || written === undefined) continue; // version managed elsewhere
    const on = `${resolve(group, properties) ?? group}:${resolve(artifact, properties) ?? artifact}`;
    const line = lines.lineAt((dependency.index ?? 0) + (dependency[0].indexOf('<version>') >= 0 ? dependency[0].indexOf('<version>') : 0));
    const range = resolve(written, properties);
    if (range === undefined) {
      // A property from a parent pom or the command line: this pom alone cannot say the version.
      notes.push({ ruleId: 'maven-version-unresolved', level: 'warning', text: `${declaredBy} names ${on} at ${written}, a property this pom does not define`, location: line === undefined ? file : `${file}:${line}`, on });
      continue;
    }
    const family = isMavenRange(range) ? 'maven-range' : 'maven-soft-version';
    root.push({ family, on, range, syntax: 'Maven', platform: false, declaredBy, file, ...(line === undefined ? {} : { line }) });
  }
  return { format: 'pom.xml', file, ...(name === undefined ? {} : { name }), ...(version === undefined ? {} : { version }), root, packages: [], notes };
}
