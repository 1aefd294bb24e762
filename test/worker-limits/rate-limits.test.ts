// Rate limits with this project's small settings (vitest.config.ts, worker-limits): every limit of
// API.md's Settings answers 429 RATE_LIMITED with Retry-After, counts what it says it counts, and
// nothing else. Each test calls from addresses of its own (CF-Connecting-IP, as Cloudflare sets it).
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DurableObjectRateLimiter, shardOf } from '../../src/adapters/rate-limit/durable-object.ts';
import { InProcessRateLimiter } from '../../src/adapters/rate-limit/in-process.ts';
import { RateLimitBindings } from '../../src/adapters/rate-limit/workers-binding.ts';
import { createScreening, fastMembers } from '../worker/fixtures.ts';
import { type ApiResult, api, BASE, uniqueLoginId } from '../worker/helpers.ts';

let addresses = 0;
/** A fresh client address for one test. */
const newIp = () => `198.18.${Math.floor(Math.random() * 250)}.${addresses++ % 250}`;

type Init = Parameters<typeof api>[1] & {};
const from = (ip: string, path: string, init: Init = {}) =>
  api(path, { ...init, headers: { ...init.headers, 'cf-connecting-ip': ip } });

function expectRateLimited(response: ApiResult<any>, maxSeconds: number) {
  expect([response.status, response.body.code]).toEqual([429, 'RATE_LIMITED']);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const retryAfter = response.headers.get('retry-after') ?? '';
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxSeconds);
  expect(response.body.retryAfter).toBe(Number(retryAfter));
  expect(response.headers.get('x-request-id')).toBeTruthy();
}

async function signup(ip: string) {
  const loginId = uniqueLoginId('rl');
  const response = await from(ip, '/api/auth/signup', {
    method: 'POST',
    body: { loginId, password: 'password-123' },
  });
  return { response, loginId };
}

const login = (ip: string, loginId: string, password: string) =>
  from(ip, '/api/auth/login', { method: 'POST', body: { loginId, password } });

describe('rate limits', () => {
  it('limits every client address across /api to REQUESTS_PER_IP_PER_MINUTE, and only that address', async () => {
    expect(env.REQUESTS_PER_IP_PER_MINUTE).toBe('40');
    const ip = newIp();
    for (let i = 0; i < 40; i++) expect((await from(ip, '/api/me')).status).toBe(401);
    expectRateLimited(await from(ip, '/api/me'), 60);
    // X-Forwarded-For is not trusted (TRUST_PROXY=0): a made-up chain changes nothing.
    expectRateLimited(await from(ip, '/api/me', { headers: { 'x-forwarded-for': newIp() } }), 60);
    expect((await from(newIp(), '/api/me')).status).toBe(401);
    // Outside /api (the document, the docs page) nothing is counted.
    expect((await from(ip, '/openapi.json')).status).toBe(200);
  });

  it('limits login attempts per address, right password or not', async () => {
    const owner = newIp();
    const { loginId } = await signup(owner);
    const ip = newIp();
    for (let i = 0; i < 6; i++) {
      expect((await login(ip, uniqueLoginId('ghost'), 'whatever-pass')).status).toBe(401);
    }
    expectRateLimited(await login(ip, loginId, 'password-123'), 60);
    expect((await login(newIp(), loginId, 'password-123')).status).toBe(200);
  });

  it('locks an account after LOGIN_FAILURES_PER_ACCOUNT failures, from any address, even for the right password', async () => {
    expect(env.LOGIN_FAILURES_PER_ACCOUNT).toBe('3');
    const { loginId } = await signup(newIp());
    const { loginId: bystander } = await signup(newIp());
    for (let i = 0; i < 2; i++) expect((await login(newIp(), loginId, 'wrong-password')).status).toBe(401);
    // Below the limit the right password still works, and a success does not wipe the failures.
    expect((await login(newIp(), loginId, 'password-123')).status).toBe(200);
    expect((await login(newIp(), loginId.toUpperCase(), 'wrong-password')).status).toBe(401);
    const locked = await login(newIp(), loginId, 'password-123');
    expectRateLimited(locked, 15 * 60);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expectRateLimited(await login(newIp(), loginId, 'wrong-password'), 15 * 60);
    expect((await login(newIp(), bystander, 'password-123')).status).toBe(200);
  });

  it('limits a burst of logins sent at once like a sequence: no more failures checked than the limit', async () => {
    const { loginId } = await signup(newIp());
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(newIp(), loginId, i === 29 ? 'password-123' : `wrong-${i}-pass`),
      ),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status !== 401 && status !== 429 && status !== 200)).toEqual([]);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(26);
  });

  it('caps the live seat maps one address holds open on one screening (LIVE_SOCKETS_PER_IP_PER_SCREENING)', async () => {
    const [{ screeningId }, other] = [
      await createScreening({ seats: 2 }),
      await createScreening({ seats: 2 }),
    ];
    const ip = newIp();
    const open = async (id: string, address: string) => {
      const response = await SELF.fetch(`${BASE}/api/screenings/${id}/live`, {
        headers: { upgrade: 'websocket', 'cf-connecting-ip': address },
      });
      response.webSocket?.accept();
      return response;
    };
    const kept = [await open(screeningId, ip), await open(screeningId, ip)];
    expect(kept.map((response) => response.status)).toEqual([101, 101]);
    const refused = await open(screeningId, ip);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as any).code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const elsewhere = [await open(screeningId, newIp()), await open(other.screeningId, ip)];
    expect(elsewhere.map((response) => response.status)).toEqual([101, 101]);
    kept[0]!.webSocket!.close(1000, 'done');
    await expect.poll(async () => (await open(screeningId, ip)).status, { timeout: 5_000 }).toBe(101);
    for (const response of [...kept.slice(1), ...elsewhere]) response.webSocket!.close(1000, 'done');
  });

  it('says 429 alike for unknown login ids, so the lock does not reveal which accounts exist', async () => {
    const ghost = uniqueLoginId('nobody');
    for (let i = 0; i < 3; i++) expect((await login(newIp(), ghost, 'wrong-password')).status).toBe(401);
    expectRateLimited(await login(newIp(), ghost, 'wrong-password'), 15 * 60);
  });

  it('limits sign-ups per address per hour', async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) expect((await signup(ip)).response.status).toBe(201);
    const refused = await signup(ip);
    expectRateLimited(refused.response, 3600);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await signup(newIp())).response.status).toBe(201);
  });

  it('limits holds per member, from whatever address, and nobody else', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 10 });
    const [scalper, fan] = await fastMembers(2);
    const hold = (token: string, seatId: string) =>
      from(newIp(), `/api/screenings/${screeningId}/holds`, {
        method: 'POST',
        token,
        body: { seatIds: [seatId] },
      });
    for (let i = 0; i < 3; i++) expect((await hold(scalper!.token, seatIds[i]!)).status).toBe(201);
    const refused = await hold(scalper!.token, seatIds[3]!);
    expectRateLimited(refused, 60);
    expect((await hold(fan!.token, seatIds[3]!)).status).toBe(201);
    const map = (await from(newIp(), `/api/screenings/${screeningId}/seats`)).body;
    expect(map.seats.filter((seat: any) => seat.status === 'HOLD')).toHaveLength(4);
  });

  it('limits payment attempts per member', async () => {
    const [buyer, other] = await fastMembers(2);
    const pay = (token: string) =>
      from(newIp(), '/api/payments', {
        method: 'POST',
        token,
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: { holdToken: 'no-such-hold', screeningId: crypto.randomUUID(), method: 'KAKAO_PAY' },
      });
    for (let i = 0; i < 2; i++) expect((await pay(buyer!.token)).status).toBe(404);
    expectRateLimited(await pay(buyer!.token), 60);
    expect((await pay(other!.token)).status).toBe(404);
  });

  it('limits POST /api/logs per address', async () => {
    const ip = newIp();
    const body = { entries: [{ level: 'info', message: 'hello' }] };
    for (let i = 0; i < 3; i++)
      expect((await from(ip, '/api/logs', { method: 'POST', body })).status).toBe(202);
    expectRateLimited(await from(ip, '/api/logs', { method: 'POST', body }), 60);
    expect((await from(newIp(), '/api/logs', { method: 'POST', body })).status).toBe(202);
  });

  it('keeps counting after the counter object restarts', async () => {
    const ip = newIp();
    for (let i = 0; i < 3; i++) expect((await signup(ip)).response.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the write-behind flush
    const counter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`signup-ip:${shardOf(ip)}`));
    await runInDurableObject(counter, (_, state) => state.abort('test restart')).catch(() => {});
    expectRateLimited((await signup(ip)).response, 3600);
  });

  it('lets requests through when the counters cannot be reached', async () => {
    const broken = {
      idFromName: () => {
        throw new Error('namespace unavailable');
      },
    } as unknown as typeof env.RATE_LIMITER;
    expect(await new DurableObjectRateLimiter(broken).hit('ip', 'k', 1, 60_000)).toMatchObject({
      allowed: true,
    });
  });

  it('refuses a key in the isolate once the Rate Limiting binding says it is over, without waiting for the binding', async () => {
    // TEST_SHARED_LIMIT allows 2 a minute (vitest.config.ts); the isolate alone would allow 100.
    const reports: Promise<unknown>[] = [];
    const binding = (env as unknown as { TEST_SHARED_LIMIT: RateLimit }).TEST_SHARED_LIMIT;
    const limiter = new InProcessRateLimiter(
      new RateLimitBindings({ shared: binding }, (work) => reports.push(work)),
    );
    const key = `k-${crypto.randomUUID()}`;
    // Hits at once: each answered here, one report to the binding under way per key.
    for (let i = 0; i < 3; i++) expect(limiter.check('shared', key, 100, 60_000).allowed).toBe(true);
    expect(reports).toHaveLength(1);
    await Promise.all(reports);
    // Hits one after another: each reported; the binding's third says the key is over 2.
    for (let i = 0; i < 2; i++) {
      expect(limiter.check('shared', key, 100, 60_000).allowed).toBe(true);
      await Promise.all(reports);
    }
    expect(reports).toHaveLength(3);
    const refused = limiter.check('shared', key, 100, 60_000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key, and a bucket without a binding, are untouched.
    expect(limiter.check('shared', `${key}-other`, 100, 60_000).allowed).toBe(true);
    expect(limiter.check('unbound', key, 100, 60_000).allowed).toBe(true);
  });

  it('counts per-minute limits with the Rate Limiting bindings that wrangler.toml declares', () => {
    for (const name of ['REQUEST_LIMIT', 'LOGIN_LIMIT', 'HOLD_LIMIT', 'PAYMENT_LIMIT', 'CLIENT_LOG_LIMIT'])
      expect(typeof (env as unknown as Record<string, RateLimit>)[name]?.limit).toBe('function');
  });
});
