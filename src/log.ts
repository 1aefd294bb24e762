// Structured JSON logs, one object per line, on every runtime. Secrets never reach a log line:
// fields named like them are masked, card numbers and tokens are masked inside any string, and
// objects nested deeper than MAX_DEPTH are cut off (so none is written unread, or blows the stack).
// Inside a request (contextStorage in app.ts) every line carries that request's id. Lines go to the
// console unless an entry file chose another writer (useLogWriter).
import { tryGetContext } from 'hono/context-storage';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const SECRET_KEYS =
  /pass(word)?|pwd|token|secret|authorization|cookie|card|cvc|cvv|jwt|credential|api[-_]?key|private[-_]?key|session/i;
/**
 * 12 to 19 digits, optionally grouped by single spaces, dashes, dots or underscores: what a card
 * number looks like. Not inside a longer run of word characters, dashes or dotted digits, so ids
 * such as UUIDs are left alone.
 */
const CARD_NUMBER = /(?<![\w-]|\d\.)\d(?:[ ._-]?\d){11,18}(?![\w-]|\.\d)/g;
/** A dotted IPv4 address has 4 to 12 digits and is not a card number. */
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** How deep a logged value is followed; anything deeper is replaced, never written unmasked. */
const MAX_DEPTH = 6;
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const BEARER = /\b(bearer)\s+[\w.~+/=-]+/gi;

function maskCard(match: string): string {
  if (IPV4.test(match)) return match;
  const digits = match.replace(/\D/g, '');
  return `${digits.slice(0, 6)}******${digits.slice(-4)}`;
}

const BEARER_WORD = /bearer/i;

/** Twelve digits apart by at most one space, dot, underscore or dash each: what a card number has. */
function hasCardDigits(value: string): boolean {
  let digits = 0;
  let apart = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits === 12) return true;
      apart = false;
    } else if (digits > 0 && !apart && (c === 32 || c === 46 || c === 95 || c === 45)) apart = true;
    else digits = 0;
  }
  return false;
}

/**
 * Whether a string has what each of the three patterns above needs (a JWT's "eyJ", "bearer",
 * twelve digits of a card): most strings are ruled out of all three without running them.
 */
export const maybeSecret = (value: string): boolean =>
  value.includes('eyJ') || BEARER_WORD.test(value) || hasCardDigits(value);

function maskString(value: string): string {
  if (!maybeSecret(value)) return value;
  return value.replace(JWT, '[masked]').replace(BEARER, '$1 [masked]').replace(CARD_NUMBER, maskCard);
}

/** Field names seen, and whether each is a secret's: a process logs the same few names again and again. */
const secretKeys = new Map<string, boolean>();
const SECRET_KEYS_KEPT = 1_000;

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEYS.test(key);
    if (secretKeys.size < SECRET_KEYS_KEPT) secretKeys.set(key, secret);
  }
  return secret;
}

export function mask(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskString(value);
  // A card number sent as a JSON number (epoch milliseconds have 13 digits and are left alone).
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e13) {
    const masked = maskString(String(value));
    return masked === String(value) ? value : masked;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => mask(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    out[key] = isSecretKey(key) && item != null ? '[masked]' : mask(item, depth + 1);
  }
  return out;
}

/** Paths that carry a token (DELETE /api/screenings/:id/holds/:holdToken) are logged without it. */
export const maskPath = (path: string): string => path.replace(/(\/holds\/)[^/]+/, '$1[masked]');

function currentRequestId(): string | undefined {
  try {
    return tryGetContext<{ Variables: { requestId?: string } }>()?.get('requestId');
  } catch {
    return undefined;
  }
}

/** The last millisecond a line was written in, and its ISO form (a busy second writes many per ms). */
let stamped = { ms: Number.NaN, iso: '' };

function timeNow(): string {
  const ms = Date.now();
  if (ms !== stamped.ms) stamped = { ms, iso: new Date(ms).toISOString() };
  return stamped.iso;
}

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const requestId = currentRequestId();
  const line = JSON.stringify({
    time: timeNow(),
    level,
    message: maskString(message),
    ...(requestId === undefined ? {} : { requestId }),
    ...(mask(fields) as object),
  });
  writer(level, line);
}

/** Where finished lines go. */
export type LogWriter = (level: LogLevel, line: string) => void;

/** The console by default: what Workers Logs and `wrangler tail` read. */
const toConsole: LogWriter = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

let writer: LogWriter = toConsole;

/** An entry file may send the lines elsewhere (Node: batched per turn of the event loop). */
export function useLogWriter(next: LogWriter): void {
  writer = next;
}
