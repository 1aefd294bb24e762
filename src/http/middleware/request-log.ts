// One structured log line per request, carrying its request id and the client address that rate
// limits count (so a 429 can be traced to who caused it). With REQUEST_LOG=notable (Workers, where
// the platform records every invocation's method, URL, status and time already, and each console
// line costs CPU and log volume) only answers worth a look are written: server errors, refused
// credentials, rate limits and slow answers.
import { createMiddleware } from 'hono/factory';
import { log, maskPath } from '../../log.ts';
import type { AppEnv } from '../context.ts';

/** An answer slower than this is always logged. */
export const SLOW_REQUEST_MS = 1_000;

/** Whether a request's line is written under REQUEST_LOG=notable. */
export const isNotable = (status: number, durationMs: number): boolean =>
  status >= 500 || status === 401 || status === 403 || status === 429 || durationMs >= SLOW_REQUEST_MS;

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const status = c.res.status;
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  if (c.get('settings')?.REQUEST_LOG === 'notable' && !isNotable(status, durationMs)) return;
  log(status >= 500 ? 'error' : 'info', 'request', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: maskPath(c.req.path),
    status,
    ip: c.get('runtime')?.clientIp(c),
    durationMs,
  });
});
