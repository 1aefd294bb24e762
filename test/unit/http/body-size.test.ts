import { type Context, Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv, Runtime } from '../../../src/http/context.ts';
import { bodySize, LARGER_BODIES, MAX_BODY_BYTES } from '../../../src/http/middleware/body-size.ts';
import { toProblem } from '../../../src/http/problem.ts';

const app = new Hono();
app.use(bodySize({} as Runtime));
app.onError((error, c) => toProblem(error, c));
app.all('/thing', (c) => c.text('ok'));

/** A request whose body may not be looked at: on Node that alone builds a full undici Request. */
function untouchable(request: Request): Request {
  Object.defineProperty(request, 'body', {
    get() {
      throw new Error('the body was looked at');
    },
  });
  return request;
}

describe('bodySize', () => {
  it('lets GET and HEAD through without looking at a body', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await app.request(untouchable(new Request('http://x/thing', { method })));
      expect(response.status).toBe(200);
    }
  });

  it('still refuses a body over the cap with 413', async () => {
    const response = await app.request('/thing', {
      method: 'POST',
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  describe('where the server reads the body itself', () => {
    const asked: number[] = [];
    const served = new Hono<AppEnv>();
    served.use(
      bodySize({
        // What the server read stands out from the Request's own body: a route that reads the
        // Request sees lowercase.
        readBody: async (c, maxBytes) => {
          asked.push(maxBytes);
          const text = (await c.req.raw.clone().text()).toUpperCase();
          return text.length > maxBytes ? undefined : new TextEncoder().encode(text);
        },
      } as Runtime),
    );
    served.onError((error, c) => toProblem(error, c));
    served.post('/api/logs', async (c) => c.json({ json: await c.req.json() }));
    served.post('/thing', async (c) =>
      c.json({ text: await c.req.text(), bytes: (await c.req.arrayBuffer()).byteLength }),
    );

    it('gives the routes what it read, with the cap of each route, without the Request stream', async () => {
      const body = JSON.stringify({ a: 'é' });
      const thing = await served.request(
        untouchable(new Request('http://x/thing', { method: 'POST', body })),
      );
      expect(await thing.json()).toEqual({
        text: body.toUpperCase(),
        bytes: new TextEncoder().encode(body.toUpperCase()).byteLength,
      });
      const logs = await served.request('/api/logs', { method: 'POST', body: '\uFEFF{"b":1}' });
      expect(await logs.json()).toEqual({ json: { B: 1 } });
      expect(asked).toEqual([MAX_BODY_BYTES, LARGER_BODIES['/api/logs']]);
    });

    it('copies the bytes out of what it read only when a route asks for them', async () => {
      const copies: number[] = [];
      const lazy = new Hono<AppEnv>();
      lazy.use(
        bodySize({
          readBody: async (c: Context) => {
            const read = new Uint8Array(await c.req.raw.clone().arrayBuffer());
            const buffer = read.buffer;
            Object.defineProperty(read, 'buffer', {
              get: () => {
                copies.push(read.byteLength);
                return buffer;
              },
            });
            return read;
          },
        } as unknown as Runtime),
      );
      lazy.post('/text', async (c) => c.text(await c.req.text()));
      lazy.post('/bytes', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
      expect(await (await lazy.request('/text', { method: 'POST', body: 'abc' })).text()).toBe('abc');
      expect(copies).toEqual([]);
      expect(await (await lazy.request('/bytes', { method: 'POST', body: 'abcd' })).text()).toBe('4');
      expect(copies).toEqual([4]);
    });

    it('answers 400 when the body never arrives whole', async () => {
      const broken = new Hono<AppEnv>();
      broken.use(bodySize({ readBody: () => Promise.reject(new Error('aborted')) } as unknown as Runtime));
      broken.onError((error, c) => toProblem(error, c));
      broken.post('/thing', (c) => c.text('ran'));
      const response = await broken.request('/thing', { method: 'POST', body: '{}' });
      expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([
        400,
        'VALIDATION_FAILED',
      ]);
    });

    it('answers 413 when the body is larger, and the route does not run', async () => {
      const response = await served.request('/thing', {
        method: 'POST',
        body: 'x'.repeat(MAX_BODY_BYTES + 1),
      });
      expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([
        413,
        'PAYLOAD_TOO_LARGE',
      ]);
    });
  });
});
