// What every answer carries and what every request may weigh: secure headers, a request id, CORS
// off without an allowlist, body limits checked before parsing (413), and the live socket untouched.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createScreening } from './fixtures.ts';
import { api, BASE } from './helpers.ts';

const KIB = 1024;
const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('HTTP hardening', () => {
  describe('headers', () => {
    it('sends secure headers and a strict CSP on the JSON API, on success and on problems', async () => {
      for (const path of ['/api/movies', '/api/nowhere', '/api/me', '/health', '/openapi.json']) {
        const { headers } = await api(path);
        expect([path, headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
        expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(headers.get('referrer-policy')).toBe('no-referrer');
        expect(headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      }
      const docs = await api('/docs');
      expect(docs.status).toBe(200);
      expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
      // Its own script from this origin, nothing from anywhere else (test/worker/openapi.test.ts).
      expect(docs.headers.get('content-security-policy')).toMatch(
        /^default-src 'self'; script-src 'self' 'nonce-/,
      );
    });

    it('puts a request id on every answer, keeping a sane one the caller sent', async () => {
      const ids = new Set<string>();
      for (const path of ['/api/movies', '/api/nowhere', '/api/me', '/health']) {
        const id = (await api(path)).headers.get('x-request-id');
        expect(id).toMatch(/^[\w-]+$/);
        ids.add(id!);
      }
      expect(ids.size).toBe(4);
      expect(
        (await api('/api/movies', { headers: { 'x-request-id': 'client-abc_123' } })).headers.get(
          'x-request-id',
        ),
      ).toBe('client-abc_123');
      const insane = (await api('/api/movies', { headers: { 'x-request-id': 'a b<script>' } })).headers.get(
        'x-request-id',
      );
      expect(insane).not.toBe('a b<script>');
    });

    it('sends no CORS headers when CORS_ORIGINS is empty', async () => {
      const response = await api('/api/movies', { headers: { origin: 'https://anywhere.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('leaves the WebSocket upgrade alone: 101 with a socket and the request id', async () => {
      const { screeningId } = await createScreening({ seats: 4 });
      const response = await SELF.fetch(`${BASE}/api/screenings/${screeningId}/live`, {
        headers: {
          upgrade: 'websocket',
          'x-request-id': 'live-request-1',
          origin: 'https://anywhere.example',
        },
      });
      expect(response.status).toBe(101);
      expect(response.webSocket).toBeTruthy();
      expect(response.headers.get('x-request-id')).toBe('live-request-1');
      response.webSocket!.accept();
      response.webSocket!.close(1000, 'done');
      const refused = await SELF.fetch(`${BASE}/api/screenings/${crypto.randomUUID()}/live`, {
        headers: { upgrade: 'websocket' },
      });
      expect(refused.status).toBe(404);
      expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
      expect(refused.headers.get('x-request-id')).toBeTruthy();
    });
  });

  describe('body limits', () => {
    const signup = JSON.stringify({ loginId: 'big_body', password: 'x'.repeat(20 * KIB) });

    it('refuses a body over 16 KiB by its Content-Length with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await post('/api/auth/signup', signup);
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(response.headers.get('x-request-id')).toBeTruthy();
    });

    it('refuses a streamed body (no Content-Length) once it passes the limit', async () => {
      const bytes = new TextEncoder().encode(signup);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes.length) return controller.close();
          controller.enqueue(bytes.subarray(sent, sent + 1024));
          sent += 1024;
        },
      });
      const response = await post('/api/auth/signup', stream);
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('takes up to 64 KiB on POST /api/logs and refuses more', async () => {
      const entries = (size: number) =>
        JSON.stringify({
          entries: Array.from({ length: 20 }, () => ({ level: 'info', message: 'm'.repeat(size) })),
        });
      expect((await post('/api/logs', entries(1_900))).status).toBe(202); // about 39 KiB
      const tooBig = await post('/api/logs', `${entries(1_900).slice(0, -2)}${' '.repeat(30 * KIB)}]}`);
      expect(tooBig.status).toBe(413);
    });

    it('refuses a body that is not JSON on a JSON route with 400, never 415 or 500', async () => {
      const response = await post('/api/auth/login', 'loginId=a&password=b', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});
