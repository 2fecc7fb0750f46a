import type { Order } from './digits.js';

/** The comparison operators most range syntaxes share, spelled the way each one reads them. */
export type Relation = '<' | '<=' | '>' | '>=' | '=' | '!=';

export function holds(relation: Relation, order: Order): boolean {
  switch (relation) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}
