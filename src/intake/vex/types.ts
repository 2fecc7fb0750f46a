import type { VexFormat, VexStatus } from '../../store/schema.js';

export type { VexFormat, VexStatus };

/** Product versions a statement covers: exact versions and `vers:` ranges, each with its status. */
export interface VexVersion {
  version?: string;
  range?: string;
  /** CycloneDX `affected` / `unaffected` / `unknown`; absent reads as the statement's own status. */
  status?: string;
}

/** What a statement is about: a product (by PURL or by name), optionally narrowed to subcomponents. */
export interface VexProduct {
  /** As the document wrote it: a PURL, a bom-ref, a BOM-link or an IRI. */
  ref: string;
  purl?: string;
  /** The product's name when the document names it (CycloneDX component name). */
  name?: string;
  versions?: VexVersion[];
  /** PURLs of the product's components the statement is about (OpenVEX `subcomponents`). */
  subcomponents: string[];
}

export interface VexStatement {
  vulnerability: string;
  aliases: string[];
  status: VexStatus;
  justification?: string;
  detail?: string;
  products: VexProduct[];
  /** ISO time the statement (or its document) was made; later statements win. */
  statedAt?: string;
  /** Where in the document, e.g. `vulnerabilities[2]` or `statements[0]`. */
  path: string;
}

/** A statement the importer refused, with why; the rest of the document still goes in. */
export interface VexRefusal {
  path: string;
  vulnerability?: string;
  reason: string;
}

export interface VexDocument {
  format: VexFormat;
  statements: VexStatement[];
  refused: VexRefusal[];
  timestamp?: string;
}
