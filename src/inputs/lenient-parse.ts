// A second opinion for documents js-yaml refuses: the `yaml` package accepts some input Kubernetes accepts too
// (a flow sequence closed at its key's indentation, duplicate keys where the last wins, as go-yaml v2 does).
// Only reached on js-yaml errors, so its slower speed costs nothing on valid input.
import { isCollection, parseDocument, visit } from 'yaml';

/**
 * The document's value; where a mapping or sequence is used as a key (a document Kubernetes refuses); or undefined
 * when the `yaml` package refuses it as well.
 */
export function parseLeniently(text: string): { value: unknown } | { collectionKeyAt: number } | undefined {
  try {
    const doc = parseDocument(text, {
      version: '1.1',
      merge: true,
      uniqueKeys: false,
      // Pretty errors copy the line around each error: quadratic on one long line full of errors.
      prettyErrors: false,
      // Warnings would go to stderr through process.emitWarning, quoting document text.
      logLevel: 'error',
      // Kubernetes (go-yaml v2) keeps timestamps as strings.
      customTags: (tags) =>
        tags.filter((tag) => !(typeof tag === 'object' && String(tag.tag).endsWith(':timestamp'))),
    });
    if (doc.errors.length > 0) return undefined;
    // A mapping or sequence as a key: Kubernetes refuses it, and turning it into a JS key would print a warning
    // quoting the key's text (which may be a secret) on stderr. js-yaml's error stands.
    let collectionKeyAt: number | undefined;
    visit(doc, {
      Pair(_, pair) {
        if (!isCollection(pair.key)) return undefined;
        collectionKeyAt = pair.key.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    if (collectionKeyAt !== undefined) return { collectionKeyAt };
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return undefined;
  }
}

/**
 * Offsets of every repeated mapping key (each occurrence after the first), as the `yaml` package finds them; merge
 * keys (`<<`) are not duplicates. Undefined when it cannot tell.
 */
export function duplicateKeyOffsets(text: string): number[] | undefined {
  try {
    const doc = parseDocument(text, {
      version: '1.1',
      merge: true,
      uniqueKeys: true,
      prettyErrors: false,
      logLevel: 'error',
    });
    return doc.errors.filter((error) => error.code === 'DUPLICATE_KEY').map((error) => error.pos[0]);
  } catch {
    return undefined;
  }
}
