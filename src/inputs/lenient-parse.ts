// A second opinion for documents js-yaml refuses: the `yaml` package accepts some input Kubernetes accepts too
// (a flow sequence closed at its key's indentation, duplicate keys where the last wins, as go-yaml v2 does).
// Only reached on js-yaml errors, so its slower speed costs nothing on valid input.
import { parseDocument } from 'yaml';

/** The document's value, or undefined when the `yaml` package refuses it as well. */
export function parseLeniently(text: string): { value: unknown } | undefined {
  try {
    const doc = parseDocument(text, {
      version: '1.1',
      merge: true,
      uniqueKeys: false,
      // Pretty errors copy the line around each error: quadratic on one long line full of errors.
      prettyErrors: false,
      // Kubernetes (go-yaml v2) keeps timestamps as strings.
      customTags: (tags) =>
        tags.filter((tag) => !(typeof tag === 'object' && String(tag.tag).endsWith(':timestamp'))),
    });
    if (doc.errors.length > 0) return undefined;
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return undefined;
  }
}
