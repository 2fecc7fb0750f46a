import type { DependencyScope, InventoryComponent } from '../../core/inventory.js';
import { isUfError } from '../../core/errors.js';
import { canonicalPurl, componentName, ecosystemOfPurlType, parsePurl, type PackageUrl } from '../../ecosystems/purl.js';

/** How a component is used, as far as its importer could tell. */
export interface UsageFacts {
  direct: boolean;
  scope: DependencyScope;
}

/** A component, or the reason the entry cannot become one (it goes to `skipped`). */
export type ComponentOutcome = { component: InventoryComponent } | { reason: string };

/**
 * Turns an SBOM entry's purl into a component. The purl's own version wins; `statedVersion` (the
 * entry's version field) fills in when the purl has none, since some tools leave it out there.
 */
export function componentFromPurl(
  purlText: string,
  statedVersion: string | undefined,
  usage: UsageFacts,
): ComponentOutcome {
  let purl: PackageUrl;
  try {
    purl = parsePurl(purlText);
  } catch (error) {
    if (isUfError(error)) return { reason: error.message };
    throw error;
  }
  const version = purl.version ?? usableVersion(statedVersion);
  if (version === undefined) return { reason: 'no version in the purl or the entry' };
  return fromParts({ ...purl, version }, usage);
}

/** A component for an npm package known by name (`@scope/name` or `name`) and version. */
export function npmComponent(name: string, version: string, usage: UsageFacts): ComponentOutcome {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const purl: PackageUrl & { version: string } =
    slash > 0
      ? { type: 'npm', namespace: name.slice(0, slash), name: name.slice(slash + 1), version, qualifiers: {} }
      : { type: 'npm', name, version, qualifiers: {} };
  return fromParts(purl, usage);
}

function fromParts(purl: PackageUrl & { version: string }, usage: UsageFacts): ComponentOutcome {
  let key: string;
  try {
    key = canonicalPurl(purl);
  } catch (error) {
    if (isUfError(error)) return { reason: error.message };
    throw error;
  }
  return {
    component: {
      purl: key,
      ecosystem: ecosystemOfPurlType(purl.type),
      name: componentName(purl),
      version: purl.version,
      direct: usage.direct,
      scope: usage.scope,
    },
  };
}

/** SPDX writes NOASSERTION / NONE where a value is unknown; those are no version at all. */
function usableVersion(version: string | undefined): string | undefined {
  if (version === undefined || version === '' || version === 'NOASSERTION' || version === 'NONE') return undefined;
  return version;
}
