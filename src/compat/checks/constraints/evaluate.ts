import { basename } from 'node:path';
import { versionSchemeFor } from '../../../ecosystems/index.js';
import type { CellFinding, TargetComponent } from '../../types.js';
import type { DeclaredConstraint } from './types.js';

/**
 * What one constraint says about one target version, and the finding it becomes. Rule ids, stable:
 *   <family>-excludes-target (error) / <family>-satisfied (info), for the families
 *     peer-range, engine-range, dependency-range (package.json and package-lock.json, packuments),
 *     require (composer.json / composer.lock require, WordPress `Requires PHP`),
 *     requires-dist, requires-python (METADATA, PKG-INFO), requirement (requirements.txt),
 *     maven-range (a bracketed pom.xml version), gem-dependency (Gemfile.lock),
 *     wp-requires-at-least (WordPress `Requires at least`);
 *   conflict-matches-target (error) / conflict-clear (info): composer `conflict`, which excludes;
 *   maven-soft-version (info): a bare pom.xml version, which Maven may replace, so never a failure;
 *   wp-tested-up-to-below-target (warning) / wp-tested-up-to-covers-target (info);
 *   requires-dist-not-applicable (info): a requirement behind an `extra == "…"` marker;
 *   constraint-not-a-range (info): an npm spec that names no versions (workspace:, file:, git, tag);
 *   constraint-unreadable (warning): a range or target the ecosystem's scheme cannot read.
 * Plus, from the readers and the runner: maven-version-unresolved, packument-version-missing (warning).
 */
export type Verdict = 'holds' | 'excludes' | 'warns' | 'informs' | 'unreadable';

export interface Evaluation {
  verdict: Verdict;
  finding: CellFinding;
  /** The sentence a cell's summary uses. */
  sentence: string;
  constraint: DeclaredConstraint;
  component: TargetComponent;
}

/** npm specs that name something other than a registry version range. */
const npmNonRange = /^(workspace:|file:|link:|portal:|patch:|npm:|git\+|git:|github:|gitlab:|bitbucket:|https?:)|^[^@\s]+\/[^\s]+$/;
const npmDistTag = /^[A-Za-z][\w.-]*$/;

export function where(constraint: DeclaredConstraint): string {
  return constraint.line === undefined ? constraint.file : `${constraint.file}:${constraint.line}`;
}

function said(constraint: DeclaredConstraint): string {
  const verb = constraint.family === 'conflict' ? 'conflicts with' : constraint.family === 'maven-soft-version' ? 'recommends' : constraint.family === 'wp-tested-up-to' ? 'is tested up to' : 'requires';
  const marker = constraint.marker === undefined ? '' : ` when ${constraint.marker}`;
  return `${constraint.declaredBy} ${verb} ${constraint.on} ${constraint.range}${marker} (${basename(constraint.file)})`;
}

/** The release's first two numbers (`6.4.2` → `6.4`), how WordPress compares "Tested up to". */
const majorMinor = (version: string): string => /^\d+(\.\d+)?/.exec(version.trim())?.[0] ?? version;

export function evaluate(constraint: DeclaredConstraint, component: TargetComponent): Evaluation {
  const target = component.targetVersion;
  const base = { constraint, component };
  const make = (verdict: Verdict, ruleId: string, level: CellFinding['level'], sentence: string): Evaluation => ({
    ...base,
    verdict,
    sentence,
    finding: { ruleId, level, text: sentence, location: where(constraint) },
  });
  const family = constraint.family;

  if (constraint.inactiveBecause !== undefined) {
    return make('informs', 'requires-dist-not-applicable', 'info', `${said(constraint)} only when ${constraint.inactiveBecause}: not evaluated`);
  }
  if (constraint.syntax === 'npm' && npmNonRange.test(constraint.range.trim())) {
    return make('informs', 'constraint-not-a-range', 'info', `${said(constraint)}: not a version range, not evaluated`);
  }
  const scheme = versionSchemeFor(constraint.syntax);
  if (scheme === undefined) throw new Error(`no version scheme for ${constraint.syntax}`); // every RangeSyntax is registered
  if (!scheme.isValid(target)) {
    return make('unreadable', 'constraint-unreadable', 'warning', `${said(constraint)}: ${target} is not a ${constraint.syntax} version`);
  }
  if (family === 'wp-tested-up-to') {
    const newer = scheme.isValid(constraint.range) && scheme.compare(majorMinor(target), constraint.range) > 0;
    return newer
      ? make('warns', 'wp-tested-up-to-below-target', 'warning', `${said(constraint)}: ${target} is newer, untested`)
      : make('holds', 'wp-tested-up-to-covers-target', 'info', `${said(constraint)}: ${target} is covered`);
  }
  if (family === 'maven-soft-version') {
    return make('informs', 'maven-soft-version', 'info', `${said(constraint)}: a soft requirement, which Maven may resolve to ${target}`);
  }
  let inside: boolean;
  try {
    inside = scheme.satisfies(target, constraint.range);
  } catch (error) {
    if (constraint.syntax === 'npm' && npmDistTag.test(constraint.range.trim())) {
      return make('informs', 'constraint-not-a-range', 'info', `${said(constraint)}: a dist-tag, not a version range, not evaluated`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    return make('unreadable', 'constraint-unreadable', 'warning', `${said(constraint)}: cannot evaluate (${reason})`);
  }
  if (family === 'conflict') {
    return inside
      ? make('excludes', 'conflict-matches-target', 'error', `${said(constraint)}: ${target} is inside`)
      : make('holds', 'conflict-clear', 'info', `${said(constraint)}: ${target} is outside`);
  }
  return inside
    ? make('holds', `${family}-satisfied`, 'info', `${said(constraint)}: ${target} is inside`)
    : make('excludes', `${family}-excludes-target`, 'error', `${said(constraint)}: ${target} is outside`);
}
