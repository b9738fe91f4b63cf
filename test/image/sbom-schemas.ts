// Ajv validators for the official CycloneDX 1.6 and SPDX 2.3 JSON schemas in ../shared/corpus/schemas.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sharedPath } from '../shared-corpus.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function readSchema(...parts: string[]): Record<string, unknown> {
  return JSON.parse(readFileSync(sharedPath('corpus', 'schemas', ...parts), 'utf8')) as Record<
    string,
    unknown
  >;
}

export function cycloneDxValidator(): ValidateFunction {
  // Not strict: the schemas use the annotation keywords `deprecated` and `meta:enum` (see the corpus README).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // ajv-formats has no iri-reference; URI references are what the writers produce, so check them as such.
  ajv.addFormat('iri-reference', (value: string) => !/\s/.test(value));
  ajv.addSchema(readSchema('cyclonedx', 'spdx.schema.json'));
  ajv.addSchema(readSchema('cyclonedx', 'jsf-0.82.schema.json'));
  return ajv.compile(readSchema('cyclonedx', 'bom-1.6.schema.json'));
}

export function spdxValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(readSchema('spdx', 'spdx-schema-2.3.json'));
}
