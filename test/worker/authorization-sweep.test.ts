// The authorization sweep (OWASP API1, API2, API5): every operation in /openapi.json declares who may
// call it in `x-auth` (public, user, owner, admin), and is called by an anonymous caller, its owner,
// another user and an admin. A route without its check, or without x-auth, fails here.
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { workerRuntime } from '../../src/index.ts';
import { BASE } from './helpers.ts';
import { fillPath, type RouteWorld, routeWorld } from './route-recipes.ts';

const AUTH = ['public', 'user', 'owner', 'admin'] as const;
type Auth = (typeof AUTH)[number];
type Caller = 'anonymous' | 'stranger' | 'admin' | 'owner';
/** The owner calls last: its calls may use up what the others must be refused. */
const CALLERS: Caller[] = ['anonymous', 'stranger', 'admin', 'owner'];
const METHOD_ORDER = ['get', 'post', 'patch', 'delete'];
/** Served by the app but not API operations: the document itself and its reference page. */
const UNDOCUMENTED = new Set(['GET /openapi.json', 'GET /docs']);

interface Operation {
  key: string;
  method: string;
  path: string;
  auth: unknown;
  security: unknown;
  hasBody: boolean;
  headers: string[];
}

async function operations(): Promise<Operation[]> {
  const doc: any = await (await SELF.fetch(`${BASE}/openapi.json`)).json();
  const found: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      found.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        auth: op['x-auth'],
        security: op.security,
        hasBody: Boolean(op.requestBody),
        headers: (op.parameters ?? [])
          .filter((p: any) => p.in === 'header' && p.required)
          .map((p: any) => p.name),
      });
    }
  }
  return found.sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
}

type Expected = 'unauthorized' | 'forbidden' | 'not-found' | 'success' | 'past-auth';

function expected(auth: Auth, caller: Caller, world: RouteWorld, key: string): Expected {
  const recipe = world.recipes[key];
  const succeeds = recipe ? 'success' : 'past-auth';
  if (caller === 'anonymous') return auth === 'public' ? succeeds : 'unauthorized';
  if (auth === 'admin') return caller === 'admin' ? succeeds : 'forbidden';
  if (auth === 'owner') {
    if (caller === 'stranger') return 'not-found';
    if (caller === 'admin') return recipe?.admin === 'sees' ? 'success' : 'not-found';
  }
  return succeeds;
}

function check(outcome: Expected, status: number, code: unknown): boolean {
  switch (outcome) {
    case 'unauthorized':
      return status === 401 && code === 'UNAUTHORIZED';
    case 'forbidden':
      return status === 403 && code === 'FORBIDDEN';
    case 'not-found':
      return status === 404 && (code === 'NOT_FOUND' || code === 'HOLD_NOT_FOUND');
    case 'success':
      return (status >= 200 && status < 300) || status === 101;
    case 'past-auth':
      return status < 500 && code !== 'UNAUTHORIZED' && status !== 403;
  }
}

describe('authorization sweep', () => {
  let world: RouteWorld;
  let ops: Operation[];

  beforeAll(async () => {
    [world, ops] = await Promise.all([routeWorld(), operations()]);
  }, 60_000);

  it('documents every route the app serves, each with a known x-auth and matching security', async () => {
    expect(ops.length).toBeGreaterThanOrEqual(36);
    for (const op of ops) {
      expect([op.key, AUTH.includes(op.auth as Auth)]).toEqual([op.key, true]);
      expect([op.key, op.security]).toEqual([op.key, op.auth === 'public' ? [] : [{ bearer: [] }]]);
    }
    const served = createApp(workerRuntime(env))
      .routes.filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
      .filter((key) => !UNDOCUMENTED.has(key));
    expect(new Set(served)).toEqual(new Set(ops.map((op) => op.key)));
  });

  it('has a recipe for every owner route: ownership can only be checked on real fixtures', () => {
    const missing = ops.filter((op) => op.auth === 'owner' && !world.recipes[op.key]).map((op) => op.key);
    expect(missing).toEqual([]);
  });

  it('answers every route × {anonymous, another user, admin, owner} as its x-auth says', async () => {
    const tokens: Record<Caller, string | undefined> = {
      anonymous: undefined,
      stranger: world.stranger.accessToken,
      admin: world.admin.accessToken,
      owner: world.owner.accessToken,
    };
    const failures: string[] = [];
    for (const op of ops) {
      const recipe = world.recipes[op.key] ?? {};
      for (const caller of CALLERS) {
        const headers: Record<string, string> = { ...recipe.headers?.() };
        for (const name of op.headers) headers[name] ??= crypto.randomUUID();
        if (tokens[caller]) headers.authorization = `Bearer ${tokens[caller]}`;
        let body: string | undefined;
        if (op.hasBody) {
          body = JSON.stringify(recipe.body?.() ?? {});
          headers['content-type'] = 'application/json';
        }
        const response = await SELF.fetch(`${BASE}${fillPath(op.path, recipe.params ?? {})}`, {
          method: op.method.toUpperCase(),
          headers,
          body,
        });
        if (response.webSocket) {
          response.webSocket.accept();
          response.webSocket.close(1000, 'sweep');
        }
        const text = response.status === 101 ? '' : await response.text();
        let code: unknown;
        try {
          code = JSON.parse(text).code;
        } catch {
          code = undefined;
        }
        const outcome = expected(op.auth as Auth, caller, world, op.key);
        if (!check(outcome, response.status, code)) {
          failures.push(
            `${op.key} as ${caller}: expected ${outcome}, got ${response.status} ${String(code)}`,
          );
        }
        // Property-level authorization: nobody but the owner (and an admin) sees the owner's things.
        if (caller === 'anonymous' || caller === 'stranger') {
          for (const secret of world.ownerSecrets) {
            if (text.includes(secret)) failures.push(`${op.key} as ${caller}: leaked ${secret}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
