// What an isolate or process read from Postgres and may trust for a while. Bounded: when full it
// starts over (the next reads refill it). A read still under way is never shared with another
// caller: on Workers each request's I/O belongs to that request, and a request that awaited another
// one's query got "Cannot perform I/O on behalf of a different request" or was cancelled as hung
// (95-213 answers of 500 in the waiting-room bench). Until the first answer is remembered, callers
// that ask meanwhile each read.
export class RememberedReads<V> {
  readonly #known = new Map<string, { value: V; until: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  /** Which answers to keep (all by default); the others are read again next time. */
  readonly #keep: (value: V) => boolean;

  constructor(options: { ttlMs: number; max: number; keep?: (value: V) => boolean }) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.max;
    this.#keep = options.keep ?? (() => true);
  }

  /** The remembered value of `key`, or what `read` answers (then remembered, if kept). */
  async get(key: string, read: () => Promise<V>): Promise<V> {
    const known = this.#known.get(key);
    if (known !== undefined && known.until > Date.now()) return known.value;
    const startedAt = Date.now();
    const value = await read();
    if (this.#keep(value)) {
      if (this.#known.size >= this.#max) this.#known.clear();
      this.#known.set(key, { value, until: startedAt + this.#ttlMs });
    }
    return value;
  }

  /** Forgets `key`, and every key whose value `matches` when given. */
  forget(key: string, matches?: (value: V) => boolean): void {
    this.#known.delete(key);
    if (matches)
      for (const [other, known] of this.#known) if (matches(known.value)) this.#known.delete(other);
  }
}
