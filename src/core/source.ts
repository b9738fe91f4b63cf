// Where an object came from, and how to find the position of any of its fields there.
import type { FieldPath } from './kube-object.ts';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The position of a field; `path` is the deepest part of the asked path that exists in the source. */
export interface LocatedField extends Position {
  path: FieldPath;
}

export type ObjectSource =
  | {
      type: 'file';
      /** Path as the user gave it (or `<stdin>`). */
      file: string;
      /** 0-based index of the YAML document in the file; list items share their document. */
      documentIndex: number;
      /** Line of the object's first line in the file. */
      line: number;
      /** Finds a field's position; computed lazily because only objects with findings need it. */
      locate(path: FieldPath): LocatedField;
      /** Frees what `locate` built for this object, once its findings are located (it is rebuilt if asked again). */
      release?(): void;
    }
  | { type: 'cluster'; context: string }
  | { type: 'admission'; uid: string }
  | { type: 'inline' };

export type Location =
  | { type: 'file'; file: string; line: number; column: number; path: string }
  | { type: 'cluster'; context: string; path: string }
  | { type: 'admission'; uid: string; path: string }
  | { type: 'inline'; path: string }
  /**
   * In an image or a directory (not a Kubernetes object): `target` is the image reference or directory as the
   * user gave it, `path` the file inside it ('' for the target as a whole), `layer` the image layer's `diff_id`.
   */
  | { type: 'artifact'; target: string; path: string; line?: number; layer?: string };
