// The Node and Deno entries, started as a person would (`npm run start:node` / `start:deno`), serving
// the booking path with the Redis coordinator against real Redis and the run's Postgres.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { walkBookingPath } from '../support/booking-path.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';

const ROOT = join(import.meta.dirname, '../..');
const REDIS = redisUrl(9);
const children: ChildProcess[] = [];

async function start(command: string[], port: number) {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: REDIS,
      JWT_SECRET: 'standalone-test-secret-long-enough',
      // The run's admin: setting another password here would lock the other tests out.
      ADMIN_LOGIN_ID: inject('adminLoginId'),
      ADMIN_PASSWORD: inject('adminPassword'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output.slice(-2000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { child, output: () => output };
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`never became healthy: ${output.slice(-2000)}`);
}

afterAll(async () => {
  for (const child of children) child.kill('SIGINT');
  await flushRedis(REDIS);
});

/** The built page (npm test builds it first) at / and at a deep link, and the API's own 404 kept. */
async function expectWebPage(base: string) {
  for (const path of ['/', '/screenings/some-id']) {
    const page = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');
  }
  const missing = await fetch(`${base}/api/nothing-here`, { headers: { accept: 'text/html' } });
  expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
}

describe('standalone runtimes with the Redis coordinator', () => {
  it('Node: serves health with redis and walks the whole booking path', async () => {
    const port = await freePort();
    await start([process.execPath, 'src/entries/node.ts'], port);
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toEqual({
      status: 'UP',
      components: { database: { status: 'UP' }, seats: { status: 'UP' }, redis: { status: 'UP' } },
    });
    const walked = await walkBookingPath(`http://127.0.0.1:${port}`);
    expect(walked.reservationNo).toMatch(/^MQ-/);
    await expectWebPage(`http://127.0.0.1:${port}`);
  });

  it('Deno (smoke): serves health and the booking path', async () => {
    const port = await freePort();
    await start(
      [
        join(ROOT, 'node_modules/.bin/deno'),
        'serve',
        '--allow-all',
        '--port',
        String(port),
        'src/entries/deno.ts',
      ],
      port,
    );
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health.status).toBe('UP');
    await walkBookingPath(`http://127.0.0.1:${port}`);
    await expectWebPage(`http://127.0.0.1:${port}`);
  });
});
