// What an isolate or process read from Postgres and may trust for a while, with one read per key at
// a time: a sale opening's first thousand requests for one screening share a single query. Bounded:
// when full it starts over (the next reads refill it).
export class RememberedReads<V> {
  readonly #known = new Map<string, { value: V; until: number }>();
  readonly #reading = new Map<string, Promise<V>>();
  readonly #ttlMs: number;
  readonly #max: number;
  /** Which answers to keep (all by default); the others are read again next time. */
  readonly #keep: (value: V) => boolean;

  constructor(options: { ttlMs: number; max: number; keep?: (value: V) => boolean }) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.max;
    this.#keep = options.keep ?? (() => true);
  }

  /** The remembered value of `key`, or what `read` answers (shared by every caller meanwhile). */
  async get(key: string, read: () => Promise<V>): Promise<V> {
    const known = this.#known.get(key);
    if (known !== undefined && known.until > Date.now()) return known.value;
    let reading = this.#reading.get(key);
    if (!reading) {
      const startedAt = Date.now();
      reading = read()
        .then((value) => {
          if (this.#keep(value)) {
            if (this.#known.size >= this.#max) this.#known.clear();
            this.#known.set(key, { value, until: startedAt + this.#ttlMs });
          }
          return value;
        })
        .finally(() => this.#reading.delete(key));
      this.#reading.set(key, reading);
    }
    return reading;
  }

  /** Forgets `key`, and every key whose value `matches` when given. */
  forget(key: string, matches?: (value: V) => boolean): void {
    this.#known.delete(key);
    if (matches)
      for (const [other, known] of this.#known) if (matches(known.value)) this.#known.delete(other);
  }
}
