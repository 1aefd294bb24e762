// The page's only way to the API: JSON in and out, the bearer token when a call needs it, one token
// refresh on a 401, and every failure turned into an ApiError with the problem document's code.
import { ApiError, codeForStatus } from './api-error.ts';
import { getSession, type Session, setSession } from './session.ts';
import type { Me, Page, Tokens } from './types.ts';

export interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  body?: unknown;
  /** Send the access token (and refresh it once on a 401). */
  auth?: boolean;
  headers?: Record<string, string>;
  /** Sees the raw response, e.g. for its Date header. */
  onResponse?: (response: Response) => void;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const response = await call(path, options);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Saves what `path` answers with `Accept: text/csv` as a file named `filename` (a CSV report). */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const response = await call(path, { auth: true, headers: { accept: 'text/csv' } });
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** A successful response, after one token refresh on a 401; anything else becomes an ApiError. */
async function call(path: string, options: CallOptions): Promise<Response> {
  let response = await send(path, options, options.auth ? getSession()?.accessToken : undefined);
  if (response.status === 401 && options.auth && getSession()) {
    const token = await refreshOnce();
    if (token) response = await send(path, options, token);
  }
  options.onResponse?.(response);
  if (response.ok) return response;
  throw await toApiError(response);
}

/** Every item of a list endpoint, following nextCursor a page of 100 at a time. */
export async function listAll<T>(path: string, options: CallOptions = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: Page<T> = await api<Page<T>>(`${path}${path.includes('?') ? '&' : '?'}${query}`, options);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function send(path: string, options: CallOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'no response');
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = response.headers.get('retry-after') ?? undefined;
  try {
    const problem = (await response.json()) as { code?: unknown; detail?: unknown };
    if (typeof problem.code === 'string') {
      return new ApiError(response.status, problem.code, String(problem.detail ?? problem.code), {
        retryAfter,
        ...problem,
      });
    }
  } catch {
    // not a problem document (a proxy's error page): fall back on the status
  }
  return new ApiError(response.status, codeForStatus(response.status), response.statusText, { retryAfter });
}

// Refresh tokens rotate: two refreshes with one token would revoke the whole family, so every
// caller waiting on a 401 shares one refresh.
let refreshing: Promise<string | null> | null = null;

function refreshOnce(): Promise<string | null> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session) return null;
    try {
      const tokens = await api<Tokens>('/api/auth/refresh', {
        method: 'POST',
        body: { refreshToken: session.refreshToken },
      });
      setSession({ ...session, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      return tokens.accessToken;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function logIn(loginId: string, password: string): Promise<Session> {
  const tokens = await api<Tokens>('/api/auth/login', { method: 'POST', body: { loginId, password } });
  const me = await api<Me>('/api/me', { headers: { authorization: `Bearer ${tokens.accessToken}` } });
  const session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, me };
  setSession(session);
  return session;
}

export async function logOut(): Promise<void> {
  const session = getSession();
  setSession(null);
  if (session) {
    await api('/api/auth/logout', { method: 'POST', body: { refreshToken: session.refreshToken } }).catch(
      () => {}, // the local session is gone either way
    );
  }
}

/** A random key for one checkout attempt (works outside secure contexts, unlike randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
