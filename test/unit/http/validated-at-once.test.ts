// validatedAtOnce checks a route's headers, path and JSON body in one middleware: it must answer
// exactly as @hono/zod-openapi's own validators do (the same route served both ways, the same
// requests, the same answers), read only the headers it names, and leave the document unchanged.
import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter, documentSharedResponses, validatedAtOnce } from '../../../src/http/openapi.ts';
import { toProblem } from '../../../src/http/problem.ts';

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

const app = createRouter().openapi(validatedAtOnce(route), (c) => c.json(c.req.valid('header'), 200));

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

describe('validatedAtOnce: headers', () => {
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
    expect(JSON.stringify(document)).not.toContain('x-checked-here');
  });
});

const Body = z.object({
  seatIds: z.array(z.string().min(1)).min(1).max(8),
  note: z.string().max(5).optional(),
});
const full = (required: boolean) =>
  createRoute({
    method: 'post',
    path: '/screenings/{id}/holds',
    operationId: `hold${required ? '' : 'Maybe'}`,
    summary: 'Hold',
    request: {
      params: z.object({ id: z.uuid() }),
      headers: Headers_,
      body: { required, content: { 'application/json': { schema: Body } } },
    },
    responses: { 200: { description: 'Held' } },
  });

/** The same route served by the library's validators and by validatedAtOnce, answering what they read. */
function both(required: boolean) {
  const answer = (
    c: { req: { valid: (target: never) => unknown } } & { json: (value: unknown, status: 200) => Response },
  ) =>
    c.json(
      {
        header: c.req.valid('header' as never),
        param: c.req.valid('param' as never),
        json: c.req.valid('json' as never),
      },
      200,
    );
  const library = createRouter().openapi(full(required), answer as never);
  const once = createRouter().openapi(validatedAtOnce(full(required)), answer as never);
  for (const router of [library, once]) router.onError((error, c) => toProblem(error, c));
  return { library, once };
}

const ID = '3b0c6f5e-9b1e-4d1a-8f4e-0a1b2c3d4e5f';
const REQUESTS: [string, { path?: string; headers?: Record<string, string>; body?: string }][] = [
  ['a good request', { body: JSON.stringify({ seatIds: ['A1'] }) }],
  [
    'a JSON type with parameters',
    { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"seatIds":["A1"]}' },
  ],
  [
    'a +json type',
    { headers: { 'content-type': 'application/merge-patch+json' }, body: '{"seatIds":["A1"]}' },
  ],
  ['a bad header', { headers: { 'idempotency-key': 'NOT VALID' }, body: '{"seatIds":["A1"]}' }],
  [
    'a bad header and a bad path',
    { path: '/screenings/nope/holds', headers: { 'idempotency-key': 'NOT VALID' } },
  ],
  ['a bad path', { path: '/screenings/nope/holds', body: '{"seatIds":["A1"]}' }],
  ['a bad path and a bad body', { path: '/screenings/nope/holds', body: '{"seatIds":[]}' }],
  ['a body with two mistakes', { body: JSON.stringify({ seatIds: [], note: 'too long' }) }],
  ['malformed JSON', { body: '{"seatIds":' }],
  ['text, not JSON', { headers: { 'content-type': 'text/plain' }, body: '{"seatIds":["A1"]}' }],
  ['a body without a content type', { headers: { 'content-type': '' }, body: '{"seatIds":["A1"]}' }],
  ['no body and no content type', { headers: { 'content-type': '' } }],
  ['a JSON type and no body', {}],
  ['JSON that is not an object', { body: '[1,2]' }],
];

function request(path: string, headers: Record<string, string>, body: string | undefined): Request {
  const sent = new Headers({ 'content-type': 'application/json', 'idempotency-key': 'key-1', ...headers });
  if (sent.get('content-type') === '') sent.delete('content-type');
  return new Request(`http://x${path}`, { method: 'POST', headers: sent, body });
}

describe('validatedAtOnce: headers, path and JSON body', () => {
  for (const required of [true, false]) {
    it(`answers every request as the library's validators do (body ${required ? 'required' : 'optional'})`, async () => {
      const { library, once } = both(required);
      for (const [, { path = `/screenings/${ID}/holds`, headers = {}, body }] of REQUESTS) {
        const expected = await library.request(request(path, headers, body));
        const actual = await once.request(request(path, headers, body));
        const seen = {
          status: actual.status,
          type: actual.headers.get('content-type'),
          body: await actual.text(),
        };
        expect(seen).toEqual({
          status: expected.status,
          type: expected.headers.get('content-type'),
          body: await expected.text(),
        });
      }
    });
  }

  it('meets every answer the library gives: the data, and a 400 for the path, a header, the body, its type and bad JSON', async () => {
    const { once } = both(true);
    const seen = new Set<string>();
    for (const [, { path = `/screenings/${ID}/holds`, headers = {}, body }] of REQUESTS) {
      const answer = await once.request(request(path, headers, body));
      const problem =
        answer.status === 200
          ? undefined
          : ((await answer.json()) as { detail: string; errors?: { path: string }[] });
      seen.add(problem ? `${answer.status} ${problem.errors?.[0]?.path ?? problem.detail}` : '200');
    }
    expect([...seen].sort()).toEqual(
      [
        '200',
        '400 (body)',
        '400 Malformed JSON in request body',
        '400 id',
        '400 idempotency-key',
        '400 seatIds',
      ].sort(),
    );
  });

  it('documents the route as the library would', () => {
    for (const required of [true, false]) {
      const { library, once } = both(required);
      documentSharedResponses(library);
      documentSharedResponses(once);
      const config = { openapi: '3.1.0', info: { title: 't', version: '1' } } as const;
      expect(once.getOpenAPI31Document(config)).toEqual(library.getOpenAPI31Document(config));
    }
  });

  it('refuses a route with more than it checks (a query), rather than leave it unchecked', () => {
    const withQuery = createRoute({
      method: 'get',
      path: '/things',
      summary: 'Things',
      request: { query: z.object({ limit: z.string() }) },
      responses: { 200: { description: 'Things' } },
    });
    expect(() => validatedAtOnce(withQuery)).toThrow(/validatedAtOnce: get \/things/);
  });
});
