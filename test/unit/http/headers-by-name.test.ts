import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter, documentSharedResponses, headersByName } from '../../../src/http/openapi.ts';

const Headers_ = z.object({
  'idempotency-key': z
    .string({ error: 'the Idempotency-Key header is required' })
    .regex(/^[a-z0-9-]{1,16}$/, '1 to 16 of a-z, 0-9 and -')
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, example: 'key-1' }),
  'admission-token': z
    .string()
    .max(8)
    .optional()
    .openapi({ param: { name: 'admission-token', in: 'header' } }),
});

const route = createRoute({
  method: 'post',
  path: '/things',
  operationId: 'makeThing',
  summary: 'Make a thing',
  request: { headers: Headers_ },
  responses: { 200: { description: 'Made' } },
});

const app = createRouter().openapi(headersByName(route), (c) => c.json(c.req.valid('header'), 200));

/** Listing every header of a request (`c.req.header()`) throws: on Node it builds undici's Headers. */
function unlistable(init: Record<string, string>): Request {
  const request = new Request('http://x/things', { method: 'POST', headers: init });
  for (const list of ['forEach', 'entries', 'keys', 'values', Symbol.iterator] as const) {
    Object.defineProperty(request.headers, list, {
      value: () => {
        throw new Error('every header was listed');
      },
    });
  }
  return request;
}

describe('headersByName', () => {
  it('reads only the headers the schema names, in any case, and hands them to valid("header")', async () => {
    const response = await app.request(
      unlistable({ 'Idempotency-Key': 'key-1', 'Admission-Token': 'adm', 'x-other': 'ignored' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ 'idempotency-key': 'key-1', 'admission-token': 'adm' });
  });

  it('leaves an optional header out when it is not sent', async () => {
    const response = await app.request(unlistable({ 'idempotency-key': 'key-2' }));
    expect(await response.json()).toEqual({ 'idempotency-key': 'key-2' });
  });

  it('answers a missing or malformed header with the contract 400, naming the header', async () => {
    for (const [headers, message] of [
      [{}, 'the Idempotency-Key header is required'],
      [{ 'idempotency-key': 'NOT VALID' }, '1 to 16 of a-z, 0-9 and -'],
    ] as const) {
      const response = await app.request(unlistable(headers));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const body = (await response.json()) as { code: string; errors: { path: string; message: string }[] };
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.errors).toEqual([{ path: 'idempotency-key', message }]);
    }
    const tooLong = await app.request(
      unlistable({ 'idempotency-key': 'key-3', 'admission-token': 'x'.repeat(9) }),
    );
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe(
      'admission-token',
    );
  });

  it('keeps the headers in the document, as request.headers would', () => {
    documentSharedResponses(app);
    const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const parameters = document.paths?.['/things']?.post?.parameters as {
      name: string;
      in: string;
      required: boolean;
    }[];
    expect(parameters.map(({ name, in: where, required }) => [name, where, required])).toEqual([
      ['idempotency-key', 'header', true],
      ['admission-token', 'header', false],
    ]);
    expect(JSON.stringify(document)).not.toContain('x-named-headers');
  });
});
