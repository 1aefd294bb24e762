// The request log line: one per request with REQUEST_LOG=all; with REQUEST_LOG=notable only server
// errors, refused credentials, rate limits and slow answers, each still with its request id.
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSettings } from '../../../src/config/settings.ts';
import type { AppEnv } from '../../../src/http/context.ts';
import { isNotable, requestLog, SLOW_REQUEST_MS } from '../../../src/http/middleware/request-log.ts';
import { useLogWriter } from '../../../src/log.ts';

function appWith(requestLogSetting: string) {
  const settings = readSettings({ REQUEST_LOG: requestLogSetting });
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('requestId', 'req-1');
    c.set('settings', settings);
    await next();
  });
  app.use(requestLog);
  app.get('/status/:code', (c) => c.body(null, Number(c.req.param('code')) as 200));
  return app;
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  useLogWriter((_level, line) => lines.push(JSON.parse(line)));
  return lines;
}

afterEach(() => {
  useLogWriter((level, line) => (level === 'error' ? console.error(line) : console.log(line)));
  vi.restoreAllMocks();
});

describe('request log', () => {
  it('writes one line per request with REQUEST_LOG=all', async () => {
    const lines = capture();
    const app = appWith('all');
    for (const code of [200, 201, 404, 409, 500]) await app.request(`/status/${code}`);
    expect(lines.map((line) => [line.message, line.status, line.requestId])).toEqual(
      [200, 201, 404, 409, 500].map((code) => ['request', code, 'req-1']),
    );
  });

  it('writes only notable answers with REQUEST_LOG=notable', async () => {
    const lines = capture();
    const app = appWith('notable');
    for (const code of [200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 503])
      await app.request(`/status/${code}`);
    expect(lines.map((line) => line.status)).toEqual([401, 403, 429, 500, 503]);
    expect(lines.every((line) => line.requestId === 'req-1')).toBe(true);
  });

  it('writes a slow answer whatever its status', async () => {
    const lines = capture();
    const app = appWith('notable');
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += SLOW_REQUEST_MS));
    await app.request('/status/200');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status: 200 });
    expect(isNotable(200, SLOW_REQUEST_MS - 1)).toBe(false);
  });

  it('refuses an unknown REQUEST_LOG value', () => {
    expect(() => readSettings({ REQUEST_LOG: 'some' })).toThrow(/REQUEST_LOG/);
  });
});
