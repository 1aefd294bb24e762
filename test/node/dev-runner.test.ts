// `npm run dev` as a person runs it: embedded Postgres, /health and /docs (with its script) served, one signal stops
// everything; and the one-line messages for the usual mistakes.
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCS_ASSETS } from '../../src/http/api-reference.ts';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { removeDevDirs, startDev, tempDataDir, waitFor } from '../support/dev-stack.ts';

async function adminLogin(port: number, password: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: 'admin', password }),
  });
  return response.status;
}

afterAll(removeDevDirs);

describe('dev runner', () => {
  it('starts with the embedded database, serves /health, /docs and the demo catalog, and stops on SIGINT', async () => {
    const port = await freePort();
    const dev = await startDev({ PORT: String(port), ADMIN_PASSWORD: 'first-password' });
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/health`, dev.child);
      expect(await health.json()).toMatchObject({ status: 'UP', components: { database: { status: 'UP' } } });
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);
      // The reference's script, from wrangler's [assets] (the built page), not from a CDN.
      const script = await fetch(`http://127.0.0.1:${port}${DOCS_ASSETS['swagger-ui-bundle.js']}`);
      expect([script.status, script.headers.get('content-type')]).toEqual([
        200,
        expect.stringContaining('javascript'),
      ]);
      expect(await adminLogin(port, 'first-password')).toBe(200);
      const movies = (await (await fetch(`http://127.0.0.1:${port}/api/movies`)).json()) as {
        items: unknown[];
      };
      expect(movies.items).toHaveLength(3);
      const theaters = (await (await fetch(`http://127.0.0.1:${port}/api/theaters`)).json()) as {
        items: { screens: unknown[] }[];
      };
      expect(theaters.items[0]?.screens).toHaveLength(2);
      await expect.poll(dev.output, { timeout: 10_000 }).toContain('Marquee is up');
      dev.child.kill('SIGINT');
      expect(await dev.exited).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      dev.child.kill('SIGKILL');
    }
  }, 150_000);

  it('resets the admin password on every start, keeping the data', async () => {
    const port = await freePort();
    const dataDir = await tempDataDir();
    for (const password of ['first-password', 'second-password']) {
      const dev = await startDev({ PORT: String(port), DATA_DIR: dataDir, ADMIN_PASSWORD: password });
      try {
        await waitFor(`http://127.0.0.1:${port}/health`, dev.child);
        expect(await adminLogin(port, password)).toBe(200);
        if (password === 'second-password') expect(await adminLogin(port, 'first-password')).toBe(401);
        dev.child.kill('SIGINT');
        expect(await dev.exited).toBe(0);
      } finally {
        dev.child.kill('SIGKILL');
      }
    }
  }, 200_000);

  it('says in one line that the port is taken', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const dev = await startDev({ PORT: String(port) });
      expect(await dev.exited).toBe(1);
      expect(dev.output().trim()).toBe(
        `marquee: port ${port} is already in use; stop what uses it or start with PORT=<another port>.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('says in one line that Postgres cannot be reached', async () => {
    const dead = await freePort();
    const dev = await startDev({
      PORT: String(await freePort()),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${dead}/x`,
    });
    expect(await dev.exited).toBe(1);
    const lines = dev.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^marquee: cannot reach Postgres at 127\.0\.0\.1:\d+\/x .*Check DATABASE_URL/);
  });

  it('says in one line that a setting is invalid', async () => {
    const dev = await startDev({ PORT: 'eighty', DATABASE_URL: 'not a url' });
    expect(await dev.exited).toBe(1);
    expect(dev.output().trim()).toMatch(/^marquee: invalid settings: PORT: .*DATABASE_URL: /);
  });
});
