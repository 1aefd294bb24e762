// jsonOnce answers exactly as c.json does, and serializes a value once for every answer it is in.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonOnce } from '../../../src/http/json-once.ts';

describe('jsonOnce', () => {
  const map = {
    screeningId: 's1',
    version: 7,
    seats: [{ seatId: 'A1', status: 'AVAILABLE', price: 12_000 }],
  };
  const app = new Hono()
    .get('/json', (c) => c.json(map, 200))
    .get('/once', (c) => jsonOnce(c, map, 200))
    .get('/created', (c) => jsonOnce(c, { made: 'é ✓' }, 201));

  it('answers with the same status, headers and bytes as c.json', async () => {
    const [library, once] = await Promise.all([app.request('/json'), app.request('/once')]);
    expect(once.status).toBe(library.status);
    const headersOf = (response: Response) => {
      const all: [string, string][] = [];
      response.headers.forEach((value, name) => {
        all.push([name, value]);
      });
      return all;
    };
    expect(headersOf(once)).toEqual(headersOf(library));
    expect(await once.text()).toBe(await library.text());
    const created = await app.request('/created');
    expect([created.status, await created.json()]).toEqual([201, { made: 'é ✓' }]);
  });

  it('serializes a value once: what it answers later is that first serialization', async () => {
    const value = { version: 1 };
    const once = new Hono().get('/', (c) => jsonOnce(c, value, 200));
    expect(await (await once.request('/')).text()).toBe('{"version":1}');
    // Never done to a served map (each version is a new object); here it shows the text is kept.
    value.version = 2;
    expect(await (await once.request('/')).text()).toBe('{"version":1}');
  });
});
