// The shared count of per-minute limits on Workers: the Workers Rate Limiting binding, one per
// limit (`[[ratelimits]]` in wrangler.toml). A hit the isolate counted is reported to it in the
// background (waitUntil), never awaited by the request, one report per key in flight at a time:
// hits of a key that arrive while its report is under way are counted by the isolate only (a key
// that busy in one isolate is held by that isolate's own exact count). When the binding answers
// that a key is over its limit, the isolate refuses that key until the binding's minute ends. The
// binding counts per Cloudflare location and is itself approximate (Cloudflare documents it as
// permissive), so these limits are too; limits that must be exact stay on the RateLimitCounter
// Durable Object.
import { waitUntil } from 'cloudflare:workers';
import { log } from '../../log.ts';
import type { SharedCount } from './in-process.ts';

export class RateLimitBindings implements SharedCount {
  readonly #bindings: Partial<Record<string, RateLimit>>;
  readonly #background: (work: Promise<unknown>) => void;
  /** Keys with a report under way. */
  readonly #asking = new Set<string>();

  /**
   * `bindings`: the binding that counts each bucket; a bucket without one is counted per isolate
   * only. `background` keeps the report alive after the response (the request's waitUntil).
   */
  constructor(
    bindings: Partial<Record<string, RateLimit>>,
    background: (work: Promise<unknown>) => void = waitUntil,
  ) {
    this.#bindings = bindings;
    this.#background = background;
  }

  report(
    bucket: string,
    key: string,
    _limit: number,
    windowMs: number,
    cost: number,
    over: (untilMs: number) => void,
  ): void {
    const binding = this.#bindings[bucket];
    const id = `${bucket}:${key}`;
    if (!binding || cost <= 0 || this.#asking.has(id)) return;
    this.#asking.add(id);
    this.#background(
      binding
        .limit({ key })
        .then((outcome) => {
          // The binding's windows are aligned to the clock: the key is free again when this one ends.
          if (!outcome.success) over((Math.floor(Date.now() / windowMs) + 1) * windowMs);
        })
        .catch((error: unknown) =>
          log('warn', 'rate limit binding unavailable; counted in this isolate only', {
            bucket,
            error: String(error),
          }),
        )
        .finally(() => this.#asking.delete(id)),
    );
  }
}
