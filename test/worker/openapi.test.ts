// The OpenAPI document and its reference page, as the Worker serves them. Every route the app serves
// is an operation with an operationId, summary, description, tags and security; every error response
// names the codes it can carry (each of its own status) with an example; the answers app-wide
// middleware can give (429, 413, 503) are there. /docs loads its script and stylesheet from this
// origin only (they are static assets: test/node/web-page.test.ts and test/node/dev-runner.test.ts).
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/domain/errors.ts';
import { DOCS_ASSETS } from '../../src/http/api-reference.ts';
import { createApp } from '../../src/http/app.ts';
import { ERROR_STATUS } from '../../src/http/problem.ts';
import { workerRuntime } from '../../src/index.ts';
import { BASE } from './helpers.ts';

/** Served by the app but not API operations: the document itself and its reference page. */
const NOT_OPERATIONS = new Set(['GET /openapi.json', 'GET /docs']);
/** Reach neither the database nor a seat coordinator, so never 503 SERVICE_UNAVAILABLE. */
const NO_BACKEND = new Set(['GET /api/me', 'POST /api/logs', 'GET /health']);

interface Operation {
  key: string;
  path: string;
  op: any;
}

let doc: any;
let operations: Operation[];

beforeAll(async () => {
  const response = await SELF.fetch(`${BASE}/openapi.json`);
  expect(response.status).toBe(200);
  doc = await response.json();
  operations = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
  );
});

/** A schema with `$ref`s followed into components. */
function resolve(schema: any): any {
  return schema?.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()]) : schema;
}

/** The `code` enum of a problem response's schema (Problem, narrowed by allOf). */
function codesOf(schema: any): string[] | undefined {
  const parts = schema.allOf ?? [schema];
  // The last part with an enum is the narrowest: the response's own, after Problem's.
  return parts.map(resolve).findLast((part: any) => part?.properties?.code?.enum)?.properties.code.enum;
}

describe('the OpenAPI document', () => {
  it('has every route the app serves, and nothing else, each with an operationId and a summary', () => {
    const served = new Set(
      createApp(workerRuntime(env))
        .routes.filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
        .filter((key) => !NOT_OPERATIONS.has(key)),
    );
    expect(new Set(operations.map(({ key }) => key))).toEqual(served);
    expect(served.size).toBeGreaterThanOrEqual(39);
    expect(served).toContain('GET /api/screenings/{id}/live'); // the WebSocket
    const ids = operations.map(({ op }) => op.operationId);
    for (const { key, op } of operations) {
      expect([key, typeof op.operationId, typeof op.summary]).toEqual([key, 'string', 'string']);
      expect([key, op.description?.length >= 10, op.tags?.length > 0]).toEqual([key, true, true]);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says who may call each operation: none for public ones, the bearer token for the rest', () => {
    for (const { key, op } of operations) {
      const expected = op['x-auth'] === 'public' ? [] : [{ bearer: [] }];
      expect([key, op.security]).toEqual([key, expected]);
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('explains how to sign up, log in, use and refresh a token', () => {
    const guide = `${doc.info.description} ${doc.components.securitySchemes.bearer.description}`;
    for (const step of [
      '/api/auth/signup',
      '/api/auth/login',
      '/api/auth/refresh',
      'Authorization: Bearer',
    ]) {
      expect(guide).toContain(step);
    }
    expect(doc.tags.map((tag: any) => tag.name)).toEqual(
      expect.arrayContaining(['Auth', 'Catalog', 'Seats', 'Holds', 'Payments', 'Reservations', 'Admin']),
    );
  });

  it('gives every error response the codes it can carry, of its own status, each with an example', () => {
    for (const { key, op } of operations) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (Number(status) < 400 || (key === 'GET /health' && status === '503')) continue;
        const where = `${key} ${status}`;
        const content = response.content?.['application/problem+json'];
        expect([where, Boolean(content)]).toEqual([where, true]);
        const codes = codesOf(content.schema);
        expect([where, (codes ?? []).length > 0]).toEqual([where, true]);
        for (const code of codes!) {
          expect([where, code, ERROR_STATUS[code as ErrorCode]]).toEqual([where, code, Number(status)]);
          expect([where, content.examples[code]?.value]).toMatchObject([
            where,
            { code, status: Number(status), type: expect.any(String), title: expect.any(String) },
          ]);
        }
      }
    }
  });

  it('documents 429 on the API, 413 where there is a body and 503 where a backend is reached', () => {
    for (const { key, path, op } of operations) {
      const codes = (status: number) => {
        const content = op.responses[status]?.content?.['application/problem+json'];
        return content ? codesOf(content.schema) : undefined;
      };
      if (path.startsWith('/api/')) expect([key, codes(429)]).toEqual([key, ['RATE_LIMITED']]);
      if (op.requestBody) expect([key, codes(413)]).toEqual([key, ['PAYLOAD_TOO_LARGE']]);
      if (!NO_BACKEND.has(key)) expect([key, codes(503)]).toEqual([key, ['SERVICE_UNAVAILABLE']]);
    }
  });

  it('shows an example of every request body and every JSON answer', () => {
    const missing: string[] = [];
    for (const { key, op } of operations) {
      const body = op.requestBody?.content['application/json'];
      if (body && resolve(body.schema).example === undefined) missing.push(`${key} request`);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const json = response.content?.['application/json'];
        if (json && resolve(json.schema).example === undefined) missing.push(`${key} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the reference page', () => {
  it('loads only from this origin, under a CSP that allows nothing else', async () => {
    const response = await SELF.fetch(`${BASE}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    expect(urls).toEqual([DOCS_ASSETS['swagger-ui.css'], DOCS_ASSETS['swagger-ui-bundle.js']]);
    expect(html).toContain('"/openapi.json"');

    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toMatch(/https?:|\*/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBe(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
});
