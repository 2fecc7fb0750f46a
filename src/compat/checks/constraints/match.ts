import { ecosystemBase, normalizePackageName } from '../../../ecosystems/names.js';
import type { TargetComponent } from '../../types.js';
import type { DeclaredConstraint, RangeSyntax } from './types.js';

/** Names one host goes by: the runtime, and the Composer packages that install it. */
const aliasGroups: readonly (readonly string[])[] = [['wordpress', 'roots/wordpress', 'roots/wordpress-no-content', 'johnpbloch/wordpress', 'johnpbloch/wordpress-core']];

/** How a name is compared in one syntax: PEP 503 for PyPI, lower case for npm and Composer (both case-insensitive). */
function key(syntax: RangeSyntax, name: string): string {
  if (syntax === 'Packagist') return name.toLowerCase();
  return normalizePackageName(syntax, name);
}

function aliases(name: string): readonly string[] {
  const lower = name.toLowerCase();
  return aliasGroups.find((group) => group.includes(lower)) ?? [lower];
}

/**
 * Whether a constraint is on the component: same name in the constraint's ecosystem, and the
 * component filed under that ecosystem; platform constraints (engines, `php`, `Requires-Python`,
 * WordPress headers) by name alone, since runtimes are filed under whatever ecosystem the upgrade
 * uses. WordPress is the same host under its Composer names.
 */
export function constrains(constraint: DeclaredConstraint, component: TargetComponent): boolean {
  const sameEcosystem = ecosystemBase(component.ecosystem).toLowerCase() === constraint.syntax.toLowerCase();
  if (!constraint.platform && !sameEcosystem) {
    // A WordPress header and a Composer require of roots/wordpress name the same host.
    return constraint.syntax === 'Packagist' && aliases(component.name).length > 1 && aliases(component.name).includes(constraint.on.toLowerCase());
  }
  if (key(constraint.syntax, constraint.on) === key(constraint.syntax, component.name)) return true;
  const group = aliases(component.name);
  return group.length > 1 && group.includes(constraint.on.toLowerCase());
}

/** Whether a package is itself one of the upgraded components (it moves with them, so its old constraints do not count). */
export function isUpgraded(syntax: RangeSyntax, name: string, components: readonly TargetComponent[]): boolean {
  return components.some((component) => ecosystemBase(component.ecosystem).toLowerCase() === syntax.toLowerCase() && key(syntax, component.name) === key(syntax, name));
}
