// One structured log line per request, carrying its request id and the client address that rate
// limits count (so a 429 can be traced to who caused it).
import { createMiddleware } from 'hono/factory';
import { log, maskPath } from '../../log.ts';
import type { AppEnv } from '../context.ts';

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const status = c.res.status;
  log(status >= 500 ? 'error' : 'info', 'request', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: maskPath(c.req.path),
    status,
    ip: c.get('runtime')?.clientIp(c),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  });
});
