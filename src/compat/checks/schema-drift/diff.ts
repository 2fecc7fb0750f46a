import type { ColumnShape, DriftId, DriftItem, SchemaShape, SequenceShape, TableShape } from './types.js';
import { defaultIgnoredTables } from './types.js';

export interface DiffSchemaOptions {
  /** Tables left out on both sides, with their columns, constraints, indexes and owned sequences. */
  ignoreTables?: readonly string[];
}

/**
 * The drift between what the migrations produce (`expected`) and a live schema (`actual`): one item
 * per object missing, unexpected or different, sorted by object then id so output is stable. Pure.
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape, options: DiffSchemaOptions = {}): DriftItem[] {
  const ignored = new Set(options.ignoreTables ?? defaultIgnoredTables);
  const items: DriftItem[] = [];
  const add = (id: DriftId, object: string, want: string | null, have: string | null) => items.push({ id, object, expected: want, actual: have });

  const tables = (shape: SchemaShape) => Object.fromEntries(Object.entries(shape.tables).filter(([name]) => !ignored.has(name)));
  compareKeyed(tables(expected), tables(actual), {
    missing: (name, table) => add('table-missing', name, describeTable(table), null),
    unexpected: (name, table) => add('table-unexpected', name, null, describeTable(table)),
    both: (name, want, have) => diffTable(name, want, have, add),
  });

  const sequences = (shape: SchemaShape) => Object.fromEntries(Object.entries(shape.sequences).filter(([, seq]) => !seq.ownedBy || !ignored.has(seq.ownedBy.split('.')[0]!)));
  compareKeyed(sequences(expected), sequences(actual), {
    missing: (name, seq) => add('sequence-missing', name, describeSequence(seq), null),
    unexpected: (name, seq) => add('sequence-unexpected', name, null, describeSequence(seq)),
    both: (name, want, have) => {
      if (describeSequence(want) !== describeSequence(have)) add('sequence-differs', name, describeSequence(want), describeSequence(have));
    },
  });

  compareText(expected.views, actual.views, 'view', add);
  compareKeyed(expected.enums, actual.enums, {
    missing: (name, labels) => add('enum-missing', name, labelList(labels), null),
    unexpected: (name, labels) => add('enum-unexpected', name, null, labelList(labels)),
    both: (name, want, have) => {
      if (labelList(want) !== labelList(have)) add('enum-values-differ', name, labelList(want), labelList(have));
    },
  });
  compareText(expected.functions, actual.functions, 'function', add);
  return items.sort((a, b) => compare(a.object, b.object) || compare(a.id, b.id));
}

type Add = (id: DriftId, object: string, expected: string | null, actual: string | null) => void;

function diffTable(table: string, want: TableShape, have: TableShape, add: Add): void {
  compareKeyed(want.columns, have.columns, {
    missing: (name, column) => add('column-missing', `${table}.${name}`, describeColumn(column), null),
    unexpected: (name, column) => add('column-unexpected', `${table}.${name}`, null, describeColumn(column)),
    both: (name, a, b) => {
      const object = `${table}.${name}`;
      if (a.type !== b.type) add('column-type-differs', object, a.type, b.type);
      if (a.nullable !== b.nullable) add('column-nullability-differs', object, nullability(a), nullability(b));
      if (a.default !== b.default) add('column-default-differs', object, a.default ?? 'no default', b.default ?? 'no default');
    },
  });
  compareText(want.constraints, have.constraints, 'constraint', add, table);
  compareText(want.indexes, have.indexes, 'index', add, table);
}

function compareText(want: Record<string, string>, have: Record<string, string>, kind: 'constraint' | 'index' | 'view' | 'function', add: Add, table?: string): void {
  const object = (name: string) => (table === undefined ? name : `${table}.${name}`);
  compareKeyed(want, have, {
    missing: (name, text) => add(`${kind}-missing`, object(name), text, null),
    unexpected: (name, text) => add(`${kind}-unexpected`, object(name), null, text),
    both: (name, a, b) => {
      if (a !== b) add(`${kind}-differs`, object(name), a, b);
    },
  });
}

function compareKeyed<T>(want: Record<string, T>, have: Record<string, T>, on: { missing(name: string, value: T): void; unexpected(name: string, value: T): void; both(name: string, want: T, have: T): void }): void {
  for (const [name, value] of Object.entries(want)) {
    if (Object.hasOwn(have, name)) on.both(name, value, have[name]!);
    else on.missing(name, value);
  }
  for (const [name, value] of Object.entries(have)) if (!Object.hasOwn(want, name)) on.unexpected(name, value);
}

function describeColumn(column: ColumnShape): string {
  return [column.type, column.nullable ? null : 'not null', column.default === null ? null : `default ${column.default}`].filter((part) => part !== null).join(' ');
}

function describeTable(table: TableShape): string {
  return `(${Object.entries(table.columns).map(([name, column]) => `${name} ${describeColumn(column)}`).join(', ')})`;
}

function describeSequence(sequence: SequenceShape): string {
  return sequence.ownedBy ? `${sequence.definition} owned by ${sequence.ownedBy}` : sequence.definition;
}

function nullability(column: ColumnShape): string {
  return column.nullable ? 'nullable' : 'not null';
}

function labelList(labels: readonly string[]): string {
  return labels.map((label) => `'${label.replace(/'/g, "''")}'`).join(', ');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
