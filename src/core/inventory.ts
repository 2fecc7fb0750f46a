/** What an inventory (SBOM or lockfile) says a service runs. PURL is the join key everywhere. */
export const dependencyScopes = ['runtime', 'dev', 'optional'] as const;
export type DependencyScope = (typeof dependencyScopes)[number];

export interface InventoryComponent {
  /** Package URL without qualifiers or subpath, e.g. `pkg:npm/%40babel/core@7.24.0`. */
  purl: string;
  /** OSV ecosystem name (`npm`, `Maven`, `PyPI`, …), or the purl type when OSV has none for it. */
  ecosystem: string;
  /** Name as the ecosystem spells it: `@babel/core`, `org.apache.logging.log4j:log4j-core`. */
  name: string;
  version: string;
  /** true when the service declares it itself; false when it arrives through another component. */
  direct: boolean;
  scope: DependencyScope;
}

export const inventoryFormats = ['cyclonedx', 'spdx', 'package-lock'] as const;
export type InventoryFormat = (typeof inventoryFormats)[number];

export interface ParsedInventory {
  format: InventoryFormat;
  /** Format version as the file states it: `1.4`, `SPDX-2.3`, lockfileVersion `3`. */
  formatVersion: string;
  /** The subject the file describes (root package or SBOM metadata component), when it names one. */
  subject?: { name: string; version?: string; purl?: string };
  components: InventoryComponent[];
  /** Entries skipped because they lack what makes them matchable (no version, no purl), with why. */
  skipped: { record: string; reason: string }[];
}
