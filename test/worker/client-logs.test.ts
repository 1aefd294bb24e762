// POST /api/logs (API.md, Operations): the client's lines become structured log lines with source
// "client", the caller, the client IP and the request id; bad batches are 400, and secrets masked.
import { afterEach, describe, expect, it } from 'vitest';
import { api, newUser } from './helpers.ts';
import { type CapturedLogs, captureLogs } from './log-capture.ts';

let logs: CapturedLogs | undefined;
afterEach(() => logs?.restore());

const send = (body: unknown, init: { token?: string; headers?: Record<string, string> } = {}) =>
  api('/api/logs', { method: 'POST', body, ...init });
const clientLines = () => logs!.lines().filter((line) => line.source === 'client');

describe('POST /api/logs', () => {
  describe('happy', () => {
    it('writes each entry as one structured line from an anonymous caller, and answers 202', async () => {
      logs = captureLogs();
      const response = await send(
        {
          entries: [
            { level: 'warn', message: 'seat map socket closed; reconnecting', context: { attempt: 2 } },
            { level: 'error', message: 'render failed' },
          ],
        },
        { headers: { 'cf-connecting-ip': '203.0.113.77' } },
      );
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: 2 });
      const requestId = response.headers.get('x-request-id');
      expect(clientLines()).toEqual([
        expect.objectContaining({
          level: 'warn',
          message: 'seat map socket closed; reconnecting',
          source: 'client',
          caller: null,
          ip: '203.0.113.77',
          requestId,
          context: { attempt: 2 },
        }),
        expect.objectContaining({ level: 'error', message: 'render failed', caller: null, requestId }),
      ]);
    });

    it('records the member of a valid bearer token, and treats a bad one as anonymous', async () => {
      const user = await newUser('logger');
      logs = captureLogs();
      expect(
        (await send({ entries: [{ level: 'info', message: 'hi' }] }, { token: user.accessToken })).status,
      ).toBe(202);
      expect(
        (await send({ entries: [{ level: 'info', message: 'hi' }] }, { token: 'not.a.token' })).status,
      ).toBe(202);
      expect(clientLines().map((line) => line.caller)).toEqual([user.id, null]);
    });
  });

  describe('errors', () => {
    it.each([
      ['no entries', { entries: [] }],
      ['51 entries', { entries: Array.from({ length: 51 }, () => ({ level: 'info', message: 'x' })) }],
      ['an unknown level', { entries: [{ level: 'fatal', message: 'x' }] }],
      ['an empty message', { entries: [{ level: 'info', message: '' }] }],
      ['a context that is not an object', { entries: [{ level: 'info', message: 'x', context: 'text' }] }],
      ['not an object', ['info', 'x']],
    ])('refuses %s with 400 VALIDATION_FAILED and writes nothing', async (_, body) => {
      logs = captureLogs();
      const response = await send(body);
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(clientLines()).toEqual([]);
    });
  });

  describe('security', () => {
    it('masks passwords, tokens and card numbers the client put in its lines', async () => {
      const user = await newUser('leaky');
      logs = captureLogs();
      const response = await send({
        entries: [
          {
            level: 'error',
            message: `payment with 4242 4242 4242 4242 failed for Bearer ${user.accessToken}`,
            context: {
              form: { password: user.password, cardNumber: '4000000000000002' },
              refreshToken: user.refreshToken,
              note: `card 4000000000009995 token ${user.accessToken}`,
            },
          },
        ],
      });
      expect(response.status).toBe(202);
      const text = logs.text();
      for (const secret of [
        user.password,
        user.accessToken,
        user.refreshToken,
        '4242424242424242',
        '4242 4242 4242 4242',
        '4000000000000002',
        '4000000000009995',
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(clientLines()[0]).toMatchObject({
        message: 'payment with 424242******4242 failed for Bearer [masked]',
        context: { form: { password: '[masked]', cardNumber: '[masked]' }, refreshToken: '[masked]' },
      });
    });
  });
});
