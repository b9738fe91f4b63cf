// Reads a YAML configuration file field by field, collecting every problem with its file:line:column, so that a
// typo in a security policy is reported, never silently ignored.
import { type Document, LineCounter, parseDocument } from 'yaml';
import { PalisadeError } from '../core/errors.ts';
import { isRecord } from '../core/kube-object.ts';
import { MAX_YAML_NESTING, tooDeepYamlAt } from '../core/yaml-depth.ts';

export type ConfigPath = readonly (string | number)[];

export class YamlConfigReader {
  readonly file: string;
  readonly root: unknown;
  readonly problems: string[] = [];
  readonly #document: Document;
  readonly #lines: LineCounter;

  constructor(text: string, file: string) {
    this.file = file;
    this.#lines = new LineCounter();
    const deep = tooDeepYamlAt(text);
    if (deep) {
      this.problems.push(
        `${file}:${deep.line}:${deep.column}: nested deeper than ${MAX_YAML_NESTING} levels; not read`,
      );
      this.#document = parseDocument('', { lineCounter: this.#lines });
      this.root = undefined;
      return;
    }
    this.#document = parseDocument(text, {
      lineCounter: this.#lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
    for (const error of this.#document.errors) {
      const { line, col } = this.#lines.linePos(error.pos[0]);
      this.problems.push(`${file}:${line}:${col}: ${error.message.split('\n')[0]}`);
    }
    let root: unknown;
    if (this.#document.errors.length === 0)
      try {
        // Aliases are no use in a policy and are how YAML bombs are built.
        root = this.#document.toJS({ maxAliasCount: 0 });
      } catch (error) {
        this.problems.push(`${file}: ${(error as Error).message}`);
      }
    this.root = root;
  }

  /** `file:line:column` of the node at `path`, or of its deepest existing parent. */
  at(path: ConfigPath): string {
    for (let length = path.length; length >= 0; length--) {
      const node = length === 0 ? this.#document.contents : this.#document.getIn(path.slice(0, length), true);
      const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
      if (offset !== undefined) {
        const { line, col } = this.#lines.linePos(offset);
        return `${this.file}:${line}:${col}`;
      }
    }
    return `${this.file}:1:1`;
  }

  problem(path: ConfigPath, message: string): void {
    this.problems.push(`${this.at(path)}: ${message}`);
  }

  get(path: ConfigPath): unknown {
    let current: unknown = this.root;
    for (const part of path) {
      if (typeof part === 'number') current = Array.isArray(current) ? current[part] : undefined;
      else current = isRecord(current) ? current[part] : undefined;
    }
    return current;
  }

  /** A mapping with only the given keys; undefined (after recording a problem) when it is something else. */
  mapping(path: ConfigPath, keys: readonly string[]): Record<string, unknown> | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      this.problem(path, `${describePath(path)} must be a mapping`);
      return undefined;
    }
    for (const key of Object.keys(value))
      if (!keys.includes(key))
        this.problem([...path, key], `unknown field "${key}" (expected one of ${keys.join(', ')})`);
    return value;
  }

  stringList(path: ConfigPath): string[] | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
      this.problem(path, `${describePath(path)} must be a list of non-empty strings`);
      return undefined;
    }
    return value as string[];
  }

  oneOf<T extends string>(path: ConfigPath, allowed: readonly T[]): T | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      this.problem(path, `${describePath(path)} must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  boolean(path: ConfigPath): boolean | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(path, `${describePath(path)} must be true or false`);
      return undefined;
    }
    return value;
  }

  string(path: ConfigPath): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.problem(path, `${describePath(path)} must be a string`);
      return undefined;
    }
    return value;
  }

  /** Throws one `config-invalid` error listing every problem, when there are any. */
  throwIfProblems(what: string): void {
    if (this.problems.length > 0)
      throw new PalisadeError(
        'config-invalid',
        `invalid ${what} ${this.file}:\n  ${this.problems.join('\n  ')}`,
      );
  }
}

function describePath(path: ConfigPath): string {
  return path.length === 0 ? 'the document' : path.map((part) => String(part)).join('.');
}
