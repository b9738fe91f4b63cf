// Ajv validators for the published schemas the writers promise to follow.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function readJson(relative: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/**
 * The official SARIF 2.1.0 schema (OASIS Standard, errata 01), copied into test/schemas so a fresh clone can run
 * it. It is draft-04, which Ajv 8 does not load; its only draft-04 construct is the root `id`, so moving that to
 * `$id` gives the same schema for Ajv's draft-07. (The draft-07 "prose" copy of the schema is older: it calls
 * `suppression.status` `state`, and its `language` pattern is broken, so it is not the one to check against.)
 */
export function sarifValidator(): ValidateFunction {
  const { id, $schema: _draft04, ...schema } = readJson('../schemas/sarif-schema-2.1.0.json');
  // Not strict: Ajv's strict mode rejects authoring habits of this schema (e.g. `required` inside `anyOf`), not data.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile({ $id: String(id), ...schema });
}

/** docs/report.schema.json, the published schema of the JSON output. */
export function reportValidator(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readJson('../../docs/report.schema.json'));
}

export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('\n');
}
