// The role guard on every admin route of the catalog and sales modules: anonymous callers and bad
// tokens get 401, a USER gets 403 and changes nothing, and the document says so.
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/http/openapi.ts';
import { adminRoutes } from '../../src/http/routes/admin.ts';
import { adminSalesRoutes } from '../../src/http/routes/admin-sales.ts';
import { walk } from './catalog-helpers.ts';
import { api, newUser } from './helpers.ts';

const UNKNOWN = '6f1c1a9e-2b1e-4b53-8f57-3d1f0b2a9c11';

describe('admin: security', () => {
  const routes: [string, string, unknown?][] = [
    ['POST', '/api/admin/movies', { title: 'x', runtimeMinutes: 90, rating: 'ALL', status: 'SHOWING' }],
    ['GET', '/api/admin/movies'],
    ['GET', `/api/admin/movies/${UNKNOWN}`],
    ['PATCH', `/api/admin/movies/${UNKNOWN}`, { status: 'ENDED' }],
    ['DELETE', `/api/admin/movies/${UNKNOWN}`],
    ['POST', '/api/admin/theaters', { name: 'Sneaky' }],
    ['GET', '/api/admin/theaters'],
    ['POST', `/api/admin/theaters/${UNKNOWN}/screens`, { name: 'x', rows: [] }],
    ['POST', '/api/admin/screenings', {}],
    ['GET', '/api/admin/screenings'],
    ['GET', `/api/admin/screenings/${UNKNOWN}`],
    ['DELETE', `/api/admin/screenings/${UNKNOWN}`],
    ['GET', '/api/admin/reservations'],
    ['GET', '/api/admin/payments'],
  ];

  it('answers 401 UNAUTHORIZED to anonymous callers and bad tokens on every admin route', async () => {
    for (const [method, path, body] of routes) {
      const anonymous = await api(path, { method, body });
      expect([method, path, anonymous.status, anonymous.body.code]).toEqual([
        method,
        path,
        401,
        'UNAUTHORIZED',
      ]);
      const forged = await api(path, { method, body, token: 'not.a.token' });
      expect([method, path, forged.status]).toEqual([method, path, 401]);
    }
  });

  it('answers 403 FORBIDDEN to a USER on every admin route and changes nothing', async () => {
    const user = await newUser('catalog');
    for (const [method, path, body] of routes) {
      const response = await api(path, { method, body, token: user.accessToken });
      expect([method, path, response.status, response.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
    }
    const sneaky = await walk('/api/theaters', 100, (seen) => seen.some((t) => t.name === 'Sneaky'));
    expect(sneaky.items.some((theater) => theater.name === 'Sneaky')).toBe(false);
  });

  it('documents every admin route with bearer security and x-auth admin', async () => {
    // The routes of this module alone, so another module's document trouble cannot hide ours.
    const app = createRouter();
    app.route('/', adminRoutes);
    app.route('/', adminSalesRoutes);
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'admin', version: '1' } }) as any;
    for (const [method, path] of routes) {
      const template = path.replace(UNKNOWN, '{id}');
      const operation = doc.paths[template]?.[method.toLowerCase()];
      expect([template, method, operation?.['x-auth'], operation?.security]).toEqual([
        template,
        method,
        'admin',
        [{ bearer: [] }],
      ]);
    }
  });
});
