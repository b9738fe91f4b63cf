// The field table: every field of the rule language, each declared once, looked up by name.
import { EVT_FIELDS } from './evt-fields.ts';
import type { FieldDefinition } from './field-definition.ts';
import { JEVT_FIELDS } from './jevt-fields.ts';
import { KA_FIELDS } from './ka-fields.ts';
import { PALISADE_FIELDS } from './palisade-fields.ts';

export const FIELD_TABLE: readonly FieldDefinition[] = [
  ...KA_FIELDS,
  ...JEVT_FIELDS,
  ...EVT_FIELDS,
  ...PALISADE_FIELDS,
];

const BY_NAME = new Map(FIELD_TABLE.map((field) => [field.name, field]));

export function fieldByName(name: string): FieldDefinition | undefined {
  return BY_NAME.get(name);
}

export function isFieldName(name: string): boolean {
  return BY_NAME.has(name);
}

/** docs/detect-fields.md, generated from the table (a test fails when the committed file is stale). */
export function renderFieldDocs(): string {
  const lines = [
    '# Detection rule fields',
    '',
    'Generated from `src/detect/fields/field-table.ts` by `palisade watch fields --markdown`; do not edit by hand.',
    '',
    "Fields read Kubernetes audit events (`audit.k8s.io/v1` and `v1beta1`). `ka.*` are the fields of Falco's k8saudit plugin,",
    "`jevt.*`/`json.*` those of its json plugin, `evt.*` Falco's generic event fields, `palisade.*` Palisade's own (pod facts over",
    'every container kind, and facts kept by the detection state). A field that cannot be extracted from an event makes every',
    'comparison on it false (`not` turns that into true).',
    '',
    '| field | type | argument | description |',
    '|---|---|---|---|',
  ];
  for (const field of FIELD_TABLE) {
    const type = `${field.type}${field.list ? ' (list)' : ''}`;
    const arg =
      field.arg === 'required' ? 'required `[...]`' : field.arg === 'index' ? 'optional index `[n]`' : '';
    lines.push(`| \`${field.name}\` | ${type} | ${arg} | ${field.doc.replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
