import { basename } from 'node:path';
import { UfError } from '../../../core/errors.js';
import type { Consumer } from '../../types.js';
import { isLockfile, type ManifestCache } from './formats.js';
import { packumentConstraints } from './packuments.js';
import type { DeclaredConstraint, ManifestDeclarations, ManifestNote } from './types.js';

export interface Collected {
  constraints: DeclaredConstraint[];
  notes: ManifestNote[];
  /** Files read, for summaries. */
  read: string[];
  /** One line per manifest that could not be read or did not hold the row, naming it. */
  problems: string[];
}

const describe = (error: unknown): string => (error instanceof UfError ? error.describe() : error instanceof Error ? error.message : String(error));

/**
 * The constraints a row declares. A service row: each manifest's own (a lockfile's root entry or
 * DEPENDENCIES). An extension row: in a lockfile, only the locked package named like the row
 * (`consumer.name`); in any other manifest, the manifest's own, since it is the extension's.
 */
function ofRow(consumer: Consumer, reading: ManifestDeclarations): { constraints: DeclaredConstraint[]; version?: string; problem?: string } {
  if (consumer.kind === 'service' || !isLockfile(reading.file)) return { constraints: reading.root, ...(reading.version === undefined ? {} : { version: reading.version }) };
  const wanted = consumer.name.toLowerCase();
  const locked = reading.packages.filter((pkg) => pkg.name.toLowerCase() === wanted);
  if (locked.length === 0) return { constraints: [], problem: `${reading.file}: ${consumer.name} is not locked there: expected a locked package named like the row` };
  const version = locked.find((pkg) => pkg.version !== undefined)?.version;
  return { constraints: locked.flatMap((pkg) => pkg.constraints), ...(version === undefined ? {} : { version }) };
}

/** Reads the row's manifests and, for npm rows, the packuments; never throws for bad input (only on abort). */
export async function collect(manifests: ManifestCache, consumer: Consumer, packuments: readonly string[], baseDir: string, signal: AbortSignal): Promise<Collected> {
  const collected: Collected = { constraints: [], notes: [], read: [], problems: [] };
  let npmPackage: { name: string; version: string | undefined } | undefined;
  for (const file of consumer.manifests) {
    signal.throwIfAborted();
    let reading: ManifestDeclarations;
    try {
      reading = await manifests.read(file, signal);
    } catch (error) {
      signal.throwIfAborted();
      collected.problems.push(describe(error));
      continue;
    }
    const row = ofRow(consumer, reading);
    if (row.problem !== undefined) {
      collected.problems.push(row.problem);
      continue;
    }
    collected.read.push(basename(file));
    collected.constraints.push(...row.constraints);
    collected.notes.push(...(reading.notes ?? []));
    if (reading.format === 'package.json' || reading.format === 'package-lock.json') {
      const name = consumer.kind === 'service' ? reading.name : consumer.name;
      if (name !== undefined) npmPackage = { name, version: row.version ?? npmPackage?.version };
    }
  }
  if (npmPackage !== undefined && packuments.length > 0) {
    try {
      const found = await packumentConstraints(packuments, baseDir, npmPackage, signal);
      collected.constraints.push(...found.constraints);
      collected.notes.push(...found.notes);
    } catch (error) {
      signal.throwIfAborted();
      collected.problems.push(describe(error));
    }
  }
  return { ...collected, constraints: unique(collected.constraints) };
}

/** A package-lock.json root entry repeats package.json: one constraint said twice is one finding. */
function unique(constraints: readonly DeclaredConstraint[]): DeclaredConstraint[] {
  const seen = new Set<string>();
  return constraints.filter((constraint) => {
    const key = [constraint.family, constraint.on, constraint.range, constraint.declaredBy, constraint.marker ?? ''].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
