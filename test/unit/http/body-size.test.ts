import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodySize, MAX_BODY_BYTES } from '../../../src/http/middleware/body-size.ts';
import { toProblem } from '../../../src/http/problem.ts';

const app = new Hono();
app.use(bodySize);
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
});
