// Property names Palisade writes into SBOMs and reads back, and how they are read back, in one place.
import { isRecord } from '../../core/kube-object.ts';

export const PROPERTY = {
  layer: 'palisade:layer:diff_id',
  path: 'palisade:location:path',
  sourceName: 'palisade:package:source_name',
  sourceVersion: 'palisade:package:source_version',
  ecosystem: 'palisade:package:ecosystem',
  foundBy: 'palisade:package:found_by',
  arch: 'palisade:package:arch',
  dev: 'palisade:package:dev',
  configDigest: 'palisade:image:config_digest',
  manifestDigest: 'palisade:image:manifest_digest',
  platform: 'palisade:image:platform',
  osFamily: 'palisade:os:family',
} as const;

export const TOOL = { vendor: 'Palisade', name: 'palisade' } as const;

/** A CycloneDX component's `properties`: the first string value of each name (later duplicates are ignored). */
export function cycloneDxProperties(properties: unknown): Map<string, string> {
  const values = new Map<string, string>();
  if (Array.isArray(properties))
    for (const property of properties)
      if (
        isRecord(property) &&
        typeof property.name === 'string' &&
        typeof property.value === 'string' &&
        !values.has(property.name)
      )
        values.set(property.name, property.value);
  return values;
}

/** An SPDX package's `annotations` written as `key=value` comments: every value of each key, in order. */
export function spdxAnnotationValues(annotations: unknown): Map<string, string[]> {
  const notes = new Map<string, string[]>();
  if (Array.isArray(annotations))
    for (const note of annotations) {
      if (!isRecord(note) || typeof note.comment !== 'string') continue;
      const equals = note.comment.indexOf('=');
      if (equals <= 0) continue;
      const key = note.comment.slice(0, equals);
      const values = notes.get(key);
      // Appended in place: copying the list for each annotation was quadratic in a package's annotations.
      if (values === undefined) notes.set(key, [note.comment.slice(equals + 1)]);
      else values.push(note.comment.slice(equals + 1));
    }
  return notes;
}
