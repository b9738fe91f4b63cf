// The parsed form of a Falco condition. Offsets are into the condition text, for error messages.

export interface FieldRef {
  name: string;
  arg: string | undefined;
  /** Applied innermost first: `tolower(b64(f))` is ['b64', 'tolower']. */
  transformers: string[];
  offset: number;
}

export interface ListItem {
  text: string;
  /** Quoted items are never list names. */
  quoted: boolean;
}

export type ValueNode =
  | { kind: 'literal'; text: string; quoted: boolean; offset: number }
  | { kind: 'list'; items: ListItem[]; offset: number }
  | { kind: 'field'; field: FieldRef; offset: number };

export type ConditionNode =
  | { kind: 'and' | 'or'; operands: ConditionNode[] }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'macro'; name: string; offset: number }
  | { kind: 'check'; field: FieldRef; operator: string; value: ValueNode | undefined; offset: number }
  /** Produced by exceptions and tests: a constant outcome. */
  | { kind: 'constant'; value: boolean };

export const UNARY_OPERATORS = new Set(['exists']);
export const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);
export const WORD_OPERATORS = [
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
  'pmatch',
  'regex',
  'intersects',
  'in',
  'exists',
];
export const SYMBOL_OPERATORS = ['==', '!=', '<=', '>=', '=', '<', '>'];
export const TRANSFORMERS = new Set(['tolower', 'toupper', 'b64', 'basename', 'len']);
