// Small helpers for route tests inside workerd: call the Worker, make accounts, get tokens.
import { SELF } from 'cloudflare:test';
import { inject } from 'vitest';

export const BASE = 'http://marquee.test';

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker; a plain object body is sent as JSON, `token` becomes a bearer header. */
export async function api<T = any>(
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (typeof init.body === 'string') body = init.body;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await SELF.fetch(`${BASE}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

let counter = 0;
export const uniqueLoginId = (prefix = 'user') =>
  `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(
    0,
    32,
  );

export interface Session {
  id: string;
  loginId: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function newUser(prefix = 'user'): Promise<Session> {
  const loginId = uniqueLoginId(prefix);
  const password = 'password-123';
  const created = await api('/api/auth/signup', { method: 'POST', body: { loginId, password } });
  if (created.status !== 201) throw new Error(`signup failed: ${JSON.stringify(created.body)}`);
  const tokens = await api('/api/auth/login', { method: 'POST', body: { loginId, password } });
  if (tokens.status !== 200) throw new Error(`login failed: ${JSON.stringify(tokens.body)}`);
  return { id: created.body.id, loginId, password, ...tokens.body };
}

let adminSession: Promise<Session> | undefined;
export function admin(): Promise<Session> {
  adminSession ??= (async () => {
    const loginId = inject('adminLoginId');
    const password = inject('adminPassword');
    const tokens = await api('/api/auth/login', { method: 'POST', body: { loginId, password } });
    if (tokens.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(tokens.body)}`);
    const me = await api('/api/me', { token: tokens.body.accessToken });
    return { id: me.body.id, loginId, password, ...tokens.body };
  })();
  return adminSession;
}
