// Rate limiting must never take the sale down: when the shared counter store errors or does not
// answer in time, the request is let through and a warning is logged instead.
import { log } from '../../log.ts';
import type { RateDecision } from '../../ports/rate-limiter.ts';

export const FAIL_OPEN_TIMEOUT_MS = 1_000;

export async function failOpen(
  bucket: string,
  work: () => Promise<RateDecision>,
  timeoutMs = FAIL_OPEN_TIMEOUT_MS,
): Promise<RateDecision> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work(), timeout]);
  } catch (error) {
    log('warn', 'rate limiter unavailable; request let through', { bucket, error: String(error) });
    return { allowed: true, retryAfterSeconds: 1, remaining: 0 };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
