// Structured JSON logs, one object per line, on every runtime. Secrets never reach a log line:
// fields that look like them are masked before the line is written.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const SECRET_KEYS = /pass(word)?|token|secret|authorization|cookie|card/i;
const CARD_NUMBER = /\b(\d{6})\d{3,9}(\d{4})\b/g;

export function mask(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(CARD_NUMBER, '$1******$2');
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) && item != null ? '[masked]' : mask(item, depth + 1);
  }
  return out;
}

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    message,
    ...(mask(fields) as object),
  });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
