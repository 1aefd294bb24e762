// Work that must run to its end even when the client goes away mid-request: a payment between its
// steps, a cancellation between its refund and its seats. On Workers a request whose client
// disconnects may be cancelled, unless its work is handed to waitUntil; Node and Deno carry on anyway.
import type { Context } from 'hono';

/** The request's execution context where the runtime has one (Workers), else undefined. */
export function executionContextOf(c: Context): ExecutionContextLike | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined; // Node and Deno have no execution context
  }
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/** Returns `work`, which now finishes whether or not anyone is still waiting for its answer. */
export function keepWorking<T>(c: Context, work: Promise<T>): Promise<T> {
  executionContextOf(c)?.waitUntil(work.catch(() => undefined));
  return work;
}
