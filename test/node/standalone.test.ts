// The Node and Deno production entries, started as a person would (`npm run start:node` /
// `start:deno`): they refuse to start without their secrets, never seed nor touch an admin, and
// serve the booking path with the Redis coordinator against real Redis and a database of their own
// (its catalog loaded by `npm run admin -- seed-demo`, as an operator would).
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../src/local/scratch-database.ts';
import { walkBookingPath } from '../support/booking-path.ts';
import { startCommand } from '../support/dev-stack.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';

const ROOT = join(import.meta.dirname, '../..');
const DENO = join(ROOT, 'node_modules/.bin/deno');
const NODE_START = [process.execPath, 'src/entries/node.ts'];
const denoStart = (port: number) => [
  DENO,
  'serve',
  '--allow-all',
  '--port',
  String(port),
  'src/entries/deno.ts',
];
const REDIS = redisUrl(9);
const children: ChildProcess[] = [];
let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase('marquee_standalone');
});

async function start(command: string[], port: number) {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: REDIS,
      JWT_SECRET: 'standalone-test-secret-long-enough',
      // A production start must ignore these: no admin is created or reset.
      ADMIN_LOGIN_ID: 'admin',
      ADMIN_PASSWORD: 'would-be-default-admin',
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
  await database?.drop();
});

/** `npm run admin -- seed-demo` on this file's database (it tops up, so running it twice is fine). */
async function seedDemo() {
  const run = startCommand([process.execPath, 'src/entries/admin.ts', 'seed-demo'], {
    DATABASE_URL: database.url,
  });
  expect(await run.exited, run.output()).toBe(0);
}

async function count(table: 'members' | 'theaters' | 'screenings'): Promise<number> {
  const { pool, close } = database.connect(1);
  try {
    return (await pool.query(`select count(*)::int as n from ${table}`)).rows[0].n;
  } finally {
    await close();
  }
}

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

/**
 * The headers every answer carries (test/worker/http-hardening.test.ts checks the Worker's): on Node
 * the server writes the fixed ones itself, on Deno the app does; the same answers either way.
 */
async function expectAnswerHeaders(base: string) {
  const ids = new Set<string>();
  for (const path of ['/api/movies', '/api/nothing-here', '/api/me', '/health', '/openapi.json?x=1']) {
    const { headers } = await fetch(`${base}${path}`);
    expect([path, headers.get('content-security-policy')]).toEqual([
      path,
      "default-src 'none'; frame-ancestors 'none'",
    ]);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    ids.add(headers.get('x-request-id') ?? '');
  }
  expect([...ids].every((id) => /^[\w-]{36}$/.test(id))).toBe(true);
  expect(ids.size).toBe(5);
  const kept = await fetch(`${base}/api/movies`, { headers: { 'x-request-id': 'client-abc_123' } });
  expect(kept.headers.get('x-request-id')).toBe('client-abc_123');
  const insane = await fetch(`${base}/api/movies`, { headers: { 'x-request-id': 'a b<script>' } });
  expect(insane.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
  // The reference's policy carries the nonce of its script, and is the only policy sent.
  const docs = await fetch(`${base}/docs?tab=1`);
  expect(docs.headers.get('content-security-policy')).toMatch(
    /^default-src 'self'; script-src 'self' 'nonce-[^,]+$/,
  );
  expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
  // The page: secure headers without the API's policy.
  const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
  expect([page.headers.get('x-content-type-options'), page.headers.get('content-security-policy')]).toEqual([
    'nosniff',
    null,
  ]);
  expect(page.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
}

describe('production start refuses without its secrets, in one line', () => {
  const cases = [
    ['DATABASE_URL and JWT_SECRET', { DATABASE_URL: undefined, JWT_SECRET: undefined }],
    ['JWT_SECRET', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', JWT_SECRET: undefined }],
    ['DATABASE_URL', { JWT_SECRET: 'a-secret-that-is-long-enough' }],
  ] as const;
  for (const [missing, env] of cases) {
    it(`Node without ${missing}`, async () => {
      const run = startCommand(NODE_START, { PORT: String(await freePort()), ...env });
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toBe(
        `marquee: ${missing} must be set to start in production (npm run dev:node runs locally with an embedded database and demo data).\n`,
      );
      expect(run.output()).toBe(run.stderr());
    });
  }

  it('Deno without JWT_SECRET', async () => {
    const port = await freePort();
    const run = startCommand(denoStart(port), { DATABASE_URL: database.url, JWT_SECRET: undefined });
    expect(await run.exited).toBe(1);
    expect(run.stderr().trim()).toBe(
      'marquee: JWT_SECRET must be set to start in production (npm run dev:deno runs locally with an embedded database and demo data).',
    );
  });
});

describe('standalone runtimes with the Redis coordinator', () => {
  it('Node: never seeds nor creates an admin; with the catalog loaded, serves health and the booking path', async () => {
    const port = await freePort();
    await start(NODE_START, port);
    expect([await count('members'), await count('theaters')]).toEqual([0, 0]);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'admin', password: 'would-be-default-admin' }),
    });
    expect(login.status).toBe(401);

    await seedDemo();
    expect(await count('screenings')).toBeGreaterThan(0);

    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toEqual({
      status: 'UP',
      components: { database: { status: 'UP' }, seats: { status: 'UP' }, redis: { status: 'UP' } },
    });
    const walked = await walkBookingPath(`http://127.0.0.1:${port}`);
    expect(walked.reservationNo).toMatch(/^MQ-/);
    await expectWebPage(`http://127.0.0.1:${port}`);
    await expectAnswerHeaders(`http://127.0.0.1:${port}`);
    // A request target in absolute form (as a proxy may send it) gets the API's headers too.
    const absolute = await new Promise<IncomingHttpHeaders>((resolve, reject) =>
      httpRequest({ port, path: `http://127.0.0.1:${port}/api/movies?x=1` }, (response) => {
        response.resume();
        resolve(response.headers);
      })
        .on('error', reject)
        .end(),
    );
    expect(absolute['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('Deno (smoke): serves health and the booking path', async () => {
    const port = await freePort();
    await start(denoStart(port), port);
    await seedDemo();
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health.status).toBe('UP');
    await walkBookingPath(`http://127.0.0.1:${port}`);
    await expectWebPage(`http://127.0.0.1:${port}`);
    await expectAnswerHeaders(`http://127.0.0.1:${port}`);
    expect(await count('members')).toBeGreaterThan(0); // the walkers; still no admin:
    const { pool, close } = database.connect(1);
    try {
      expect(
        (await pool.query(`select count(*)::int as n from members where role = 'ADMIN'`)).rows[0].n,
      ).toBe(0);
    } finally {
      await close();
    }
  });
});
