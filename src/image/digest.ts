// Content digests: parsing, computing while streaming, and refusing content that does not match.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PalisadeError } from '../core/errors.ts';

const SUPPORTED = { sha256: 64, sha512: 128 } as const;
export type DigestAlgorithm = keyof typeof SUPPORTED;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Parses `sha256:<hex>`/`sha512:<hex>`; anything else is refused with the place it came from. */
export function parseDigest(text: unknown, where: string): ParsedDigest {
  if (typeof text !== 'string') throw new PalisadeError('input-unreadable', `${where}: digest is missing`);
  const colon = text.indexOf(':');
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  if (colon < 0 || !(algorithm in SUPPORTED))
    throw new PalisadeError('unsupported', `${where}: digest algorithm of "${text}" is not supported`);
  const length = SUPPORTED[algorithm as DigestAlgorithm];
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex))
    throw new PalisadeError('input-unreadable', `${where}: "${text}" is not a valid ${algorithm} digest`);
  return { algorithm: algorithm as DigestAlgorithm, hex };
}

export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Throws when `data` does not hash to `expected`. */
export function verifyDigest(data: Uint8Array, expected: string, where: string): void {
  const { algorithm } = parseDigest(expected, where);
  const actual = digestOf(data, algorithm);
  if (actual !== expected)
    throw new PalisadeError(
      'input-unreadable',
      `${where}: digest mismatch (expected ${expected}, got ${actual})`,
    );
}

/**
 * Hashes bytes as they come and refuses them at the end when the digest (and size, when known) differ, so a layer
 * is never accepted from bytes that were not the ones the manifest named. Too many bytes are refused at once.
 */
export class DigestCheck {
  readonly #hash: Hash;
  readonly #expected: string;
  readonly #algorithm: DigestAlgorithm;
  readonly #where: string;
  readonly #size: number | undefined;
  #seen = 0;

  constructor(expected: string, where: string, size?: number) {
    this.#algorithm = parseDigest(expected, where).algorithm;
    this.#hash = createHash(this.#algorithm);
    this.#expected = expected;
    this.#where = where;
    this.#size = size;
  }

  update(chunk: Uint8Array): void {
    this.#seen += chunk.length;
    if (this.#size !== undefined && this.#seen > this.#size)
      throw new PalisadeError(
        'input-unreadable',
        `${this.#where}: more bytes than the ${this.#size} declared`,
      );
    this.#hash.update(chunk);
  }

  finish(): void {
    const actual = `${this.#algorithm}:${this.#hash.digest('hex')}`;
    if (this.#size !== undefined && this.#seen !== this.#size)
      throw new PalisadeError(
        'input-unreadable',
        `${this.#where}: ${this.#seen} bytes where ${this.#size} declared`,
      );
    if (actual !== this.#expected)
      throw new PalisadeError(
        'input-unreadable',
        `${this.#where}: digest mismatch (expected ${this.#expected}, got ${actual})`,
      );
  }
}

/** DigestCheck as a pass-through stream: fails at the end (or at the first byte too many). */
export class DigestVerifier extends Transform {
  readonly #check: DigestCheck;

  constructor(expected: string, where: string, size?: number) {
    super();
    this.#check = new DigestCheck(expected, where, size);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.#check.update(chunk);
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.#check.finish();
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  }
}
