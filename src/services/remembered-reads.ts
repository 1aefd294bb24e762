// What an isolate or process read from Postgres and may trust for a while, with one read per key at
// a time: a sale opening's first thousand requests for one screening wait for a single query
// instead of each opening a connection. A caller that finds another's read under way waits for its
// answer on its own clock (it looks again every WAIT_STEP_MS), never on that read's promise: on
// Workers a request may not wait on another request's I/O (it is cancelled as hung if that request
// goes away, and its own later I/O can land in the other's context). If no answer is remembered
// within MAX_WAIT_MS, or the read failed, it reads itself. Bounded: when full it starts over. The
// same wait (waitOnOwnClock) serves the login revocations' single read.
const WAIT_STEP_MS = 5;
const MAX_WAIT_MS = 2_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a read that started at `since` is still under way (older than MAX_WAIT_MS: abandoned). */
export const readUnderWay = (since: number | undefined): boolean =>
  since !== undefined && Date.now() - since < MAX_WAIT_MS;

/**
 * Waits on the caller's own clock, looking every WAIT_STEP_MS, until `done()` or until another
 * caller's read that started at `since` counts as abandoned: never on that read's promise.
 */
export async function waitOnOwnClock(done: () => boolean, since: number): Promise<void> {
  while (!done() && readUnderWay(since)) await pause(WAIT_STEP_MS);
}

export class RememberedReads<V> {
  readonly #known = new Map<string, { value: V; until: number }>();
  /** Keys with a read under way, and when it started. */
  readonly #reading = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;
  /** Which answers to keep (all by default); the others are read again next time. */
  readonly #keep: (value: V) => boolean;

  constructor(options: { ttlMs: number; max: number; keep?: (value: V) => boolean }) {
    this.#ttlMs = options.ttlMs;
    this.#max = options.max;
    this.#keep = options.keep ?? (() => true);
  }

  /** The remembered value of `key`, or what `read` answers (remembered, if kept, for the others). */
  async get(key: string, read: () => Promise<V>): Promise<V> {
    const known = this.#remembered(key);
    if (known) return known.value;
    const under = this.#reading.get(key);
    if (under !== undefined) {
      await waitOnOwnClock(
        () => this.#remembered(key) !== undefined || this.#reading.get(key) !== under,
        under,
      );
      const answered = this.#remembered(key);
      if (answered) return answered.value;
    }
    const startedAt = Date.now();
    this.#reading.set(key, startedAt);
    try {
      const value = await read();
      if (this.#keep(value)) {
        if (this.#known.size >= this.#max) this.#known.clear();
        this.#known.set(key, { value, until: startedAt + this.#ttlMs });
      }
      return value;
    } finally {
      if (this.#reading.get(key) === startedAt) this.#reading.delete(key);
    }
  }

  #remembered(key: string): { value: V; until: number } | undefined {
    const known = this.#known.get(key);
    return known !== undefined && known.until > Date.now() ? known : undefined;
  }

  /** Forgets `key`, and every key whose value `matches` when given. */
  forget(key: string, matches?: (value: V) => boolean): void {
    this.#known.delete(key);
    if (matches)
      for (const [other, known] of this.#known) if (matches(known.value)) this.#known.delete(other);
  }
}
