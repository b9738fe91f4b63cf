// Pull-style reader over an async stream of chunks: exact reads and skips without re-copying whole streams.

export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #done = false;
  /** Bytes handed out or skipped so far: the offset reported in errors. */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Pulls until `n` bytes are buffered or the source ends; returns whether they are there. */
  async #fill(n: number): Promise<boolean> {
    while (this.#buffered < n && !this.#done) {
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      if (chunk.length === 0) continue;
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    return this.#buffered >= n;
  }

  /** Exactly `n` bytes, or fewer only when the source ended first. */
  async read(n: number): Promise<Buffer> {
    await this.#fill(n);
    const take = Math.min(n, this.#buffered);
    const first = this.#chunks[0];
    let out: Buffer;
    if (first !== undefined && first.length >= take) {
      out = first.subarray(0, take);
      if (first.length === take) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(take);
    } else {
      out = Buffer.allocUnsafe(take);
      let copied = 0;
      while (copied < take) {
        const chunk = this.#chunks[0]!;
        const part = Math.min(chunk.length, take - copied);
        chunk.copy(out, copied, 0, part);
        copied += part;
        if (part === chunk.length) this.#chunks.shift();
        else this.#chunks[0] = chunk.subarray(part);
      }
    }
    this.#buffered -= take;
    this.position += take;
    return out;
  }

  /** Yields the next `n` bytes as they arrive (no large buffer); stops early if the source ends. */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.#buffered === 0 && !(await this.#fill(1))) return;
      const piece = this.#takeFromFirst(left);
      left -= piece.length;
      yield piece;
    }
  }

  /** Discards `n` bytes; returns how many were really there. Synchronous over what is buffered, for speed. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.#buffered === 0 && !(await this.#fill(1))) break;
      left -= this.#takeFromFirst(left).length;
    }
    return n - left;
  }

  /** Hands out up to `max` bytes of the first buffered chunk (there must be one), without copying. */
  #takeFromFirst(max: number): Buffer {
    const chunk = this.#chunks[0]!;
    const part = Math.min(chunk.length, max);
    if (part === chunk.length) this.#chunks.shift();
    else this.#chunks[0] = chunk.subarray(part);
    this.#buffered -= part;
    this.position += part;
    return part === chunk.length ? chunk : chunk.subarray(0, part);
  }

  /** True once the source has ended and nothing is buffered. */
  async atEnd(): Promise<boolean> {
    return !(await this.#fill(1));
  }

  /** Stops the underlying source (e.g. after an error), so its file or socket is released. */
  async close(): Promise<void> {
    this.#chunks = [];
    this.#buffered = 0;
    if (!this.#done) {
      this.#done = true;
      await this.#iterator.return?.();
    }
  }
}
