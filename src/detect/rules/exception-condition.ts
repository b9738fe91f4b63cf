// Falco rule exceptions turned into condition trees: `(condition) and not (exception or exception ...)`.
import type { ConditionNode, FieldRef, ListItem, ValueNode } from '../condition/ast.ts';
import { falcoItemText, parseCondition } from '../condition/parser.ts';
import type { ExceptionDraft } from './rule-draft.ts';

const SET_COMPS = new Set(['in', 'intersects', 'pmatch']);

function fieldRef(text: string, isField: (name: string) => boolean): FieldRef {
  // Reuse the condition parser for `name[arg]` and transformers by parsing "<field> exists".
  const node = parseCondition(`${text} exists`, isField);
  if (node.kind !== 'check') throw new Error(`'${text}' is not a field`);
  return node.field;
}

/** A value as Falco reads it (see falcoItemText), or an error naming the value rather than a condition offset. */
function itemOf(value: unknown): ListItem {
  try {
    return falcoItemText(String(value));
  } catch (error) {
    throw new Error(`exception value ${JSON.stringify(String(value))}: ${(error as Error).message}`);
  }
}

function valueNode(comp: string, value: unknown): ValueNode {
  if (SET_COMPS.has(comp)) {
    const items: ListItem[] = Array.isArray(value) ? value.map(itemOf) : [itemOf(value)];
    return { kind: 'list', items, offset: 0 };
  }
  return { kind: 'literal', text: itemOf(value).text, quoted: true, offset: 0 };
}

function check(field: FieldRef, comp: string, value: unknown): ConditionNode {
  return {
    kind: 'check',
    field,
    operator: comp === '==' ? '=' : comp,
    value: valueNode(comp, value),
    offset: 0,
  };
}

/** Throws with a message naming the exception when its fields, comps or values do not fit together. */
export function exceptionNode(
  exception: ExceptionDraft,
  isField: (name: string) => boolean,
): ConditionNode | undefined {
  if (exception.values.length === 0) return undefined;
  if (typeof exception.fields === 'string') {
    const comp = typeof exception.comps === 'string' ? exception.comps : 'in';
    const field = fieldRef(exception.fields, isField);
    if (SET_COMPS.has(comp)) return check(field, comp, exception.values);
    return { kind: 'or', operands: exception.values.map((value) => check(field, comp, value)) };
  }
  if (exception.fields.length === 0)
    throw new Error(
      `exception '${exception.name}' has no fields (it would match every event and disable the rule)`,
    );
  const fields = exception.fields.map((text) => fieldRef(text, isField));
  const comps = Array.isArray(exception.comps)
    ? exception.comps
    : fields.map(() => (typeof exception.comps === 'string' ? exception.comps : '='));
  const tuples: ConditionNode[] = [];
  for (const tuple of exception.values) {
    if (!Array.isArray(tuple) || tuple.length !== fields.length)
      throw new Error(
        `exception '${exception.name}': each value must be a sequence of ${fields.length} item(s)`,
      );
    tuples.push({
      kind: 'and',
      operands: fields.map((field, index) => check(field, comps[index] as string, tuple[index])),
    });
  }
  return { kind: 'or', operands: tuples };
}
