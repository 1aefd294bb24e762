// A Worker deployed without a secret it needs says so on /health (DOWN, 503, the reason), instead
// of answering UP and failing every login. This project's bindings have no JWT_SECRET.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { workerRuntime } from '../../src/index.ts';

describe('a Worker missing its secrets', () => {
  it('reports DOWN with the missing JWT_SECRET while its database is UP', async () => {
    expect(env.JWT_SECRET).toBeUndefined();
    const response = await SELF.fetch('http://marquee.test/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'DOWN',
      components: {
        database: { status: 'UP' },
        seats: { status: 'UP' },
        secrets: { status: 'DOWN', reason: 'JWT_SECRET is not set' },
      },
    });
  });

  it('names every missing secret: without DATABASE_URL too, the database is DOWN as well', async () => {
    const app = createApp(workerRuntime({ ...env, DATABASE_URL: undefined }));
    const response = await app.request('/health', {}, { ...env });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'DOWN',
      components: {
        database: { status: 'DOWN' },
        seats: { status: 'UP' },
        secrets: { status: 'DOWN', reason: 'DATABASE_URL and JWT_SECRET are not set' },
      },
    });
  });

  it('names nothing once the secret is there', async () => {
    const app = createApp(workerRuntime({ ...env, JWT_SECRET: 'a-secret-that-is-long-enough-for-hs256' }));
    const response = await app.request('/health', {}, { ...env });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'UP',
      components: { database: { status: 'UP' }, seats: { status: 'UP' } },
    });
  });
});
