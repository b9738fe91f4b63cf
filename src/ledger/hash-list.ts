// A growable list of 32-byte hashes in one flat buffer: a million leaves cost 32 MB, not a million objects.
import { HASH_SIZE } from './merkle-hash.ts';

export class HashList {
  #buffer: Buffer;
  #length = 0;

  constructor(initialCapacity = 1024) {
    this.#buffer = Buffer.allocUnsafe(Math.max(1, initialCapacity) * HASH_SIZE);
  }

  /** Wraps whole 32-byte records of `bytes` (a partial trailing record is the caller's business). */
  static fromBytes(bytes: Uint8Array): HashList {
    const count = Math.floor(bytes.length / HASH_SIZE);
    const list = new HashList(count);
    Buffer.from(bytes.buffer, bytes.byteOffset, count * HASH_SIZE).copy(list.#buffer);
    list.#length = count;
    return list;
  }

  get length(): number {
    return this.#length;
  }

  push(hash: Uint8Array): void {
    if (hash.length !== HASH_SIZE)
      throw new RangeError(`hash must be ${HASH_SIZE} bytes, got ${hash.length}`);
    if ((this.#length + 1) * HASH_SIZE > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(this.#buffer.length * 2);
      this.#buffer.copy(grown, 0, 0, this.#length * HASH_SIZE);
      this.#buffer = grown;
    }
    this.#buffer.set(hash, this.#length * HASH_SIZE);
    this.#length += 1;
  }

  /** A view (not a copy) of hash `index`. */
  at(index: number): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= this.#length)
      throw new RangeError(`hash index ${index} out of range 0..${this.#length - 1}`);
    return this.#buffer.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** The first `count` hashes as one buffer (a view). */
  bytes(count = this.#length): Buffer {
    return this.#buffer.subarray(0, Math.min(count, this.#length) * HASH_SIZE);
  }
}
