// What a hostile user tried (issue 15), against the Node entry with the Redis coordinator, started as
// `npm run start:node` would be: another spelling of a screening id reaches the same Redis keys, a
// burst of logins is limited like a sequence, big socket frames and too many sockets from one
// address are refused, a deeply nested client log and a NUL byte are not a 500.
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_BODY_BYTES } from '../../src/http/middleware/body-size.ts';
import { freePort } from '../../src/local/embedded-postgres.ts';
import { testDatabase } from '../support/db.ts';
import { flushRedis, redisUrl } from '../support/redis.ts';
import { insertScreening } from '../support/screening-fixture.ts';

const ROOT = join(import.meta.dirname, '../..');
const REDIS = redisUrl(9);
const database = testDatabase();
let child: ChildProcess;
let base = '';

beforeAll(async () => {
  await flushRedis(REDIS);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['src/entries/node.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: REDIS,
      JWT_SECRET: 'hostile-input-test-secret-long-enough',
      ADMIN_LOGIN_ID: inject('adminLoginId'),
      ADMIN_PASSWORD: inject('adminPassword'),
      LOGIN_FAILURES_PER_ACCOUNT: '3',
      LOGINS_PER_IP_PER_MINUTE: '1000',
      SIGNUPS_PER_IP_PER_HOUR: '1000',
      LIVE_SOCKETS_PER_IP_PER_SCREENING: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output.slice(-2000)}`);
    if (
      await fetch(`${base}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`never became healthy: ${output.slice(-2000)}`);
});

afterAll(async () => {
  child?.kill('SIGINT');
  await database.close();
  await flushRedis(REDIS);
});

async function call(
  path: string,
  init: { method?: string; body?: unknown; token?: string; raw?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

let made = 0;
async function member() {
  const loginId = `hostile_${Date.now().toString(36)}${made++}`;
  await call('/api/auth/signup', { method: 'POST', body: { loginId, password: 'password-123' } });
  const login = await call('/api/auth/login', {
    method: 'POST',
    body: { loginId, password: 'password-123' },
  });
  return { loginId, token: login.body.accessToken as string };
}

/** A live socket that records its messages, or the HTTP status it was refused with. */
function socket(screeningId: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/screenings/${screeningId}/live`);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const opened = new Promise<number>((resolve) => {
    ws.on('open', () => resolve(101));
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return { ws, messages, opened, closed };
}

describe('the Node entry with the Redis coordinator', () => {
  it('sends every spelling of a screening to the same seats and the same live feed, making no other keys', async () => {
    const [first, second] = [await member(), await member()];
    const { screeningId, seatIds } = await insertScreening(database.db, { seats: 4 });
    const upper = screeningId.toUpperCase();
    const watcher = socket(upper);
    expect(await watcher.opened).toBe(101);
    const held = await call(`/api/screenings/${screeningId}/holds`, {
      method: 'POST',
      token: first.token,
      body: { seatIds: [seatIds[0]] },
    });
    expect(held.status).toBe(201);
    const taken = await call(`/api/screenings/${upper}/holds`, {
      method: 'POST',
      token: second.token,
      body: { seatIds: [seatIds[0]] },
    });
    expect([taken.status, taken.body.code]).toEqual([409, 'SEAT_NOT_AVAILABLE']);
    await expect
      .poll(() => watcher.messages.flatMap((message) => message.changes ?? []), { timeout: 5_000 })
      .toEqual([{ seatId: seatIds[0], status: 'HOLD' }]);
    expect((await call(`/api/screenings/${upper}/seats`)).body.screeningId).toBe(screeningId);
    watcher.ws.close();
    const redis = createClient({ url: REDIS });
    await redis.connect();
    expect(await redis.keys(`*${upper}*`)).toEqual([]);
    await redis.close();
  });

  it('limits a burst of logins sent at once like a sequence', async () => {
    const { loginId } = await member();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call('/api/auth/login', {
          method: 'POST',
          body: { loginId, password: i === 29 ? 'password-123' : `wrong-${i}-password` },
        }),
      ),
    );
    const statuses = burst.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => ![200, 401, 429].includes(status))).toEqual([]);
  });

  it('closes a socket that sends a frame bigger than a ping, and caps sockets per address per screening', async () => {
    const { screeningId } = await insertScreening(database.db, { seats: 2 });
    const big = socket(screeningId);
    expect(await big.opened).toBe(101);
    big.ws.send(`{"type":"ping","pad":"${'x'.repeat(64 * 1024)}"}`);
    expect(await big.closed).toBe(1009);

    const kept = [socket(screeningId), socket(screeningId)];
    expect(await Promise.all(kept.map((one) => one.opened))).toEqual([101, 101]);
    expect(await socket(screeningId).opened).toBe(429);
    const other = await insertScreening(database.db, { seats: 2 });
    const elsewhere = socket(other.screeningId);
    expect(await elsewhere.opened).toBe(101);
    kept[0]!.ws.close();
    await kept[0]!.closed;
    await expect
      .poll(async () => {
        const again = socket(screeningId);
        const status = await again.opened;
        again.ws.close();
        return status;
      })
      .toBe(101);
    kept[1]!.ws.close();
    elsewhere.ws.close();
  });

  it('takes a client log context nested 10,000 deep, and answers 400 for a NUL byte', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const logged = await call('/api/logs', {
      method: 'POST',
      raw: `{"entries":[{"level":"info","message":"deep","context":${deep}}]}`,
    });
    expect(logged.status).toBe(202);
    const { token } = await member();
    expect((await call('/api/reservations/MQ-261201-%00ABCDE', { token })).status).toBe(400);
    const login = await call('/api/auth/login', {
      method: 'POST',
      body: { loginId: 'nul\u0000byte', password: 'whatever-password' },
    });
    expect(login.status).toBe(400);
  });

  it('reads request bodies itself: capped by length or by counting, the route parsing what was read', async () => {
    const login = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers, body });
    const tooBig = JSON.stringify({ loginId: 'x'.repeat(MAX_BODY_BYTES), password: 'password-123' });
    const refused = await login(tooBig);
    expect([refused.status, (await refused.json()).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    // No Content-Length: counted as it streams, refused once past the cap.
    expect(await chunkedPost('/api/auth/login', [tooBig.slice(0, 9000), tooBig.slice(9000)])).toBe(413);
    // Under the cap in chunks: read whole and parsed (a wrong password, not a bad body).
    const sane = JSON.stringify({ loginId: 'nobody-here', password: 'password-123' });
    expect(await chunkedPost('/api/auth/login', [sane.slice(0, 10), sane.slice(10)])).toBe(401);
    // /api/logs takes more than the general cap (API.md: 64 KiB).
    const entries = Array.from({ length: 10 }, () => ({ level: 'info', message: 'm'.repeat(2000) }));
    const logs = await fetch(`${base}/api/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entries }),
    });
    expect(logs.status).toBe(202);
    const malformed = await login('{"loginId":');
    expect([malformed.status, (await malformed.json()).code]).toEqual([400, 'VALIDATION_FAILED']);
    // A body without a content type is still seen as a body (the validator reads the raw Request).
    const untyped = await login(sane, {});
    expect([untyped.status, (await untyped.json()).detail]).toEqual([
      400,
      'the body must be application/json',
    ]);
    // A client that goes away mid-body leaves the server answering.
    await abortedPost('/api/auth/login', sane.slice(0, 10), sane.length);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    // A UTF-8 byte order mark is dropped, as a Request's text() would.
    expect((await login(`\uFEFF${sane}`)).status).toBe(401);
  });
});

/** Sends `length` as the body's Content-Length, `part` of it, then goes away. */
function abortedPost(path: string, part: string, length: number): Promise<void> {
  return new Promise((resolve) => {
    const request = httpRequest(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(length) },
    });
    request.on('error', () => {});
    request.write(part, () => setTimeout(() => request.destroy(), 50));
    request.on('close', () => resolve());
  });
}

/** POSTs `chunks` with Transfer-Encoding: chunked (no Content-Length); the answer's status. */
function chunkedPost(path: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
