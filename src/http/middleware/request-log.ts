// One structured log line per request, carrying its request id.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.ts';
import { log } from '../log.ts';

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const status = c.res.status;
  log(status >= 500 ? 'error' : 'info', 'request', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  });
});
