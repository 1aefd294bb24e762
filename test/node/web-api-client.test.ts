// The page's API client (web/src/api/client.ts) against a stubbed fetch: one shared token refresh
// on a 401, a refused refresh ends the session, and every failure becomes an ApiError with a code.
// In Node there is no sessionStorage, so the session lives in memory only, as the client allows.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../web/src/api/api-error.ts';
import { api } from '../../web/src/api/client.ts';
import { getSession, setSession } from '../../web/src/api/session.ts';

const me = { id: 'm1', loginId: 'moviegoer', role: 'USER' as const };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: 'x', title: 'x', status, code, detail: 'raw detail', ...extra });

/** Answers /api/auth/refresh with `refresh`, and anything else with 401 unless the token is `fresh`. */
function stubApi(refresh: () => Response) {
  const calls: { path: string; authorization: string | null }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      const authorization = new Headers(init.headers).get('authorization');
      calls.push({ path, authorization });
      if (path === '/api/auth/refresh') return refresh();
      return authorization === 'Bearer fresh' ? json(200, { items: [] }) : problem(401, 'UNAUTHORIZED');
    }),
  );
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe('the page API client', () => {
  it('refreshes once on a 401 for callers waiting together, then retries with the new token', async () => {
    setSession({ accessToken: 'stale', refreshToken: 'r1', me });
    const calls = stubApi(() =>
      json(200, { accessToken: 'fresh', refreshToken: 'r2', tokenType: 'Bearer', expiresIn: 900 }),
    );
    const answers = await Promise.all([
      api('/api/me/holds', { auth: true }),
      api('/api/reservations', { auth: true }),
    ]);
    expect(answers).toEqual([{ items: [] }, { items: [] }]);
    expect(calls.filter((call) => call.path === '/api/auth/refresh')).toHaveLength(1);
    expect(getSession()).toMatchObject({ accessToken: 'fresh', refreshToken: 'r2', me });
  });

  it('ends the session when the refresh token is refused, and says UNAUTHORIZED', async () => {
    setSession({ accessToken: 'stale', refreshToken: 'revoked', me });
    stubApi(() => problem(401, 'UNAUTHORIZED'));
    const failure = await api('/api/me/holds', { auth: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('UNAUTHORIZED');
    expect(getSession()).toBeNull();
  });

  it('keeps the problem code and its extras, guesses one for a bare 5xx, and says NETWORK without an answer', async () => {
    const answers = [
      problem(409, 'SEAT_NOT_AVAILABLE', { unavailableSeatIds: ['s1'] }),
      problem(429, 'RATE_LIMITED'),
      new Response('<html>Bad gateway</html>', { status: 502 }),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        const next = answers.shift();
        if (!next) throw new TypeError('Failed to fetch');
        return next.status === 429
          ? new Response(next.body, { status: 429, headers: { 'retry-after': '7' } })
          : next;
      }),
    );
    const failures: ApiError[] = [];
    for (let i = 0; i < 4; i++) failures.push(await api<never>('/api/x').catch((error: ApiError) => error));
    expect(failures.map((failure) => failure.code)).toEqual([
      'SEAT_NOT_AVAILABLE',
      'RATE_LIMITED',
      'SERVICE_UNAVAILABLE',
      'NETWORK',
    ]);
    expect(failures[0]?.unavailableSeatIds).toEqual(['s1']);
    expect(failures[1]?.retryAfterSeconds).toBe(7);
  });
});
