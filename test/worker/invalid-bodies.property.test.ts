// Random invalid bodies for every route that takes one (fast-check): wrong JSON, wrong types, missing
// fields, over-long strings, oversized bodies, unknown fields on strict (admin) bodies. Each must be
// refused with 400 or 413 problem+json, never a 500, and never reach the database, the seat
// coordinator or the gateway (API.md: bad input never reaches them). Real ids fill every path, so a
// body that slipped through would change the fixtures, which are compared before and after.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import type { Runtime } from '../../src/http/context.ts';
import { workerRuntime } from '../../src/index.ts';
import { api, BASE } from './helpers.ts';
import { fillPath, type RouteWorld, routeWorld } from './route-recipes.ts';

const RUNS_PER_ROUTE = 25;
type Schema = Record<string, any>;
interface Sent {
  body: string;
  contentType?: string;
}

/** The app over the real adapters, noting every use of the database, the seats and the gateway. */
function watchedApp(touched: string[]) {
  const base = workerRuntime(env);
  const seats = new Proxy(base.seats, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        touched.push(`seats.${String(name)}`);
        return value.apply(target, args);
      };
    },
  });
  const runtime: Runtime = {
    ...base,
    seats,
    openDatabase: () => {
      touched.push('database');
      return base.openDatabase();
    },
    paymentGateway: (db, faults) => {
      touched.push('gateway');
      return base.paymentGateway(db, faults);
    },
  };
  return createApp(runtime);
}

const json = (value: unknown): Sent => ({ body: JSON.stringify(value), contentType: 'application/json' });
const notJson = (text: string) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};
const anyJson = fc.jsonValue({ maxDepth: 2 });
const smallArray = fc.array(anyJson, { maxLength: 3 });
const smallObject = fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 });
const nonInteger = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n));

const typesOf = (schema: Schema): string[] =>
  Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];

/** Values no JSON schema of these `type`s accepts, or null when the schema says nothing checkable. */
function wrongValue(schema: Schema): fc.Arbitrary<unknown> | null {
  const types = typesOf(schema);
  if (types.length === 0) return null;
  const options: fc.Arbitrary<unknown>[] = [];
  if (!types.includes('string')) options.push(fc.string({ maxLength: 20 }));
  if (!types.some((t) => t === 'number' || t === 'integer')) options.push(fc.integer());
  if (types.includes('integer') && !types.includes('number')) options.push(nonInteger);
  if (!types.includes('boolean')) options.push(fc.boolean());
  if (!types.includes('null')) options.push(fc.constant(null));
  if (!types.includes('array')) options.push(smallArray);
  if (!types.includes('object')) options.push(smallObject);
  if (Array.isArray(schema.enum)) {
    options.push(fc.string({ maxLength: 12 }).filter((s) => !schema.enum.includes(s)));
  }
  return fc.oneof(...options);
}

/** `strict`: unknown fields must be refused (API.md: on admin routes, no mass assignment). */
function invalidBodies(schema: Schema, valid: Record<string, unknown>, strict: boolean): fc.Arbitrary<Sent> {
  const properties = Object.entries<Schema>(schema.properties ?? {});
  const arbitraries: fc.Arbitrary<Sent>[] = [
    fc
      .oneof(fc.integer(), fc.string({ maxLength: 30 }), fc.boolean(), fc.constant(null), smallArray)
      .map(json),
    fc
      .string({ minLength: 1, maxLength: 40 })
      .filter(notJson)
      .map((body) => ({ body, contentType: 'application/json' })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', undefined).map((contentType) => ({
      body: JSON.stringify(valid),
      contentType,
    })),
    // Over every body limit (64 KiB is the largest), whatever the schema says of the extra field.
    fc
      .integer({ min: 65 * 1024, max: 90 * 1024 })
      .map((size) => json({ ...valid, padding: 'x'.repeat(size) })),
  ];
  const required: string[] = schema.required ?? [];
  if (required.length > 0) {
    arbitraries.push(
      fc
        .constantFrom(...required)
        .map((name) => json(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== name)))),
    );
  }
  for (const [name, property] of properties) {
    const wrong = wrongValue(property);
    if (wrong) arbitraries.push(wrong.map((value) => json({ ...valid, [name]: value })));
    const wrongItem = property.items ? wrongValue(property.items) : null;
    if (wrongItem) {
      arbitraries.push(
        fc.array(wrongItem, { minLength: 1, maxLength: 3 }).map((items) => json({ ...valid, [name]: items })),
      );
    }
    if (typeof property.maxLength === 'number') {
      const max = property.maxLength;
      arbitraries.push(
        fc.integer({ min: max + 1, max: max + 2000 }).map((n) => json({ ...valid, [name]: 'y'.repeat(n) })),
      );
    }
  }
  if (strict) {
    const names = fc.constantFrom(
      'id',
      'role',
      'memberId',
      'createdAt',
      'availableSeats',
      'isAdmin',
      '__proto__',
    );
    arbitraries.push(
      fc
        .tuple(fc.oneof(names, fc.string({ minLength: 1, maxLength: 10 })), anyJson)
        .filter(([name]) => !(name in (schema.properties ?? {})))
        .map(([name, value]) => {
          const body: Record<string, unknown> = { ...valid };
          Object.defineProperty(body, name, { value, enumerable: true, configurable: true, writable: true });
          return json(body);
        }),
    );
  }
  return fc.oneof(...arbitraries);
}

describe('invalid bodies (property)', () => {
  let world: RouteWorld;
  let doc: any;

  beforeAll(async () => {
    [world, doc] = await Promise.all([routeWorld(), (await SELF.fetch(`${BASE}/openapi.json`)).json()]);
  }, 60_000);

  const resolve = (schema: Schema): Schema => {
    if (!schema.$ref) return schema;
    const name = String(schema.$ref).split('/').at(-1)!;
    return resolve(doc.components.schemas[name]);
  };
  const deep = (schema: Schema): Schema => {
    const top = resolve(schema);
    const properties = Object.fromEntries(
      Object.entries<Schema>(top.properties ?? {}).map(([name, property]) => {
        const resolved = resolve(property);
        return [name, resolved.items ? { ...resolved, items: resolve(resolved.items) } : resolved];
      }),
    );
    return { ...top, properties };
  };

  /** What the fixtures look like from outside: compared before and after the invalid requests. */
  const probe = async () => {
    const owner = world.owner.accessToken;
    const boss = world.admin.accessToken;
    const [map, holds, reservations, screenings, movies] = await Promise.all([
      api(`/api/screenings/${world.screeningId}/seats`),
      api('/api/me/holds', { token: owner }),
      api('/api/reservations', { token: owner }),
      api(`/api/admin/screenings/${world.screeningId}`, { token: boss }),
      api('/api/admin/movies?limit=5', { token: boss }),
    ]);
    return [map.body, holds.body, reservations.body, screenings.body, movies.body];
  };

  it('answers every invalid body with 400/413 problem+json and touches nothing', async () => {
    const touched: string[] = [];
    const app = watchedApp(touched);
    const before = await probe();
    const routes = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
      Object.entries<any>(item)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(16);

    for (const { key, method, path, op } of routes) {
      const recipe = world.recipes[key];
      if (!recipe?.body) throw new Error(`${key}: no recipe with a valid body in route-recipes.ts`);
      const token = op['x-auth'] === 'admin' ? world.admin.accessToken : world.owner.accessToken;
      const schema = deep(op.requestBody.content['application/json'].schema);
      const valid = recipe.body() as Record<string, unknown>;
      await fc.assert(
        fc.asyncProperty(
          invalidBodies(schema, valid, op['x-auth'] === 'admin' || schema.additionalProperties === false),
          async (sent) => {
            const headers: Record<string, string> = {
              ...recipe.headers?.(),
              authorization: `Bearer ${token}`,
            };
            if (sent.contentType) headers['content-type'] = sent.contentType;
            const ctx = createExecutionContext();
            const response = await app.fetch(
              new Request(`${BASE}${fillPath(path, recipe.params ?? {})}`, {
                method: method.toUpperCase(),
                headers,
                body: sent.body,
              }),
              env,
              ctx,
            );
            const text = await response.text();
            await waitOnExecutionContext(ctx);
            const problem = JSON.parse(text);
            const expected = response.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
            expect([key, response.status === 400 || response.status === 413, problem.code]).toEqual([
              key,
              true,
              expected,
            ]);
            expect(response.headers.get('content-type')).toBe('application/problem+json');
            expect([key, touched]).toEqual([key, []]);
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    expect(await probe()).toEqual(before);
  }, 120_000);
});
