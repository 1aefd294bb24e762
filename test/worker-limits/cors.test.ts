// CORS from the CORS_ORIGINS allowlist (this project: two origins): allowed origins may read and
// preflight, any other origin gets no Access-Control-Allow-Origin at all.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const ALLOWED = 'https://tickets.marquee.test';
const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  SELF.fetch(`http://marquee.test${path}`, {
    ...init,
    headers: { 'cf-connecting-ip': '198.19.0.1', ...init.headers },
  });

describe('CORS', () => {
  it('answers a request with no Origin without CORS headers, varying by Origin', async () => {
    const response = await call('/api/movies');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('lets an allowed origin read answers, and exposes the request id and Retry-After', async () => {
    const response = await call('/api/me', { headers: { origin: ALLOWED } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id,retry-after');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers a preflight from an allowed origin with the methods and headers the API takes', async () => {
    const response = await call('/api/payments', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://admin.marquee.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://admin.marquee.test');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,PATCH,DELETE');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,idempotency-key,x-request-id',
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('gives any other origin nothing to read with', async () => {
    for (const origin of ['https://evil.example', 'https://tickets.marquee.test.evil.example', 'null']) {
      const plain = await call('/api/movies', { headers: { origin } });
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
      // the answer would differ for an allowed origin: no cache may hand this one to it
      expect(plain.headers.get('vary')).toMatch(/origin/i);
      const preflight = await call('/api/payments', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
