// The settings table of API.md, parsed once from whatever the runtime calls its environment
// (Worker bindings, process.env, Deno.env). Defaults live here and nowhere else.
import { z } from 'zod';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
/** `1`/`true` or `0`/`false`; unset or empty is `on`. */
const flag = (on = false) =>
  z
    .enum(['0', '1', 'true', 'false', ''])
    .default('')
    .transform((value) => (value === '' ? on : value === '1' || value === 'true'));
const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

export const settingsSchema = z.object({
  PORT: int(8787, 1),
  DATA_DIR: z.string().min(1).default('.marquee'),
  DATABASE_URL: z.string().url().optional(),
  /** Local only: host:port/path of the WebSocket-to-TCP relay the Neon driver tunnels through. */
  PG_WS_PROXY: z.string().optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /**
   * Deno/Node: the hot statements run as named prepared statements on each Postgres connection.
   * `0` behind a pooler that hands one client's statements to other sessions (PgBouncer in
   * transaction mode without max_prepared_statements).
   */
  PREPARED_STATEMENTS: flag(true),
  /** Deno/Node: how often Redis is pinged (and after every failed command). */
  REDIS_HEALTH_INTERVAL_MS: int(30_000, 100),
  JWT_SECRET: z.string().min(16).optional(),
  ADMIN_LOGIN_ID: z
    .string()
    .regex(/^[a-z0-9_]{4,32}$/)
    .default('admin'),
  ADMIN_PASSWORD: z.string().min(8).max(72).default('marquee-admin'),
  HOLD_TTL_SECONDS: int(300, 1),
  /** A hold may be extended up to this long after it was made (POST …/holds/:token/extend). */
  HOLD_MAX_SECONDS: int(900, 1),
  /** How long a member may not hold seats it released or let expire (0: never). */
  HOLD_COOLDOWN_SECONDS: int(120),
  /** Screenings one member may hold seats in at the same time. */
  HELD_SCREENINGS_PER_MEMBER: int(2, 1),
  /** Seats held from one client address per hour, across screenings (holds refused are not counted). */
  HOLD_SEATS_PER_IP_PER_HOUR: int(100, 1),
  PAYMENT_TIMEOUT_SECONDS: int(60, 1),
  /** How long a waiting-room admission lets its member hold seats. */
  ADMISSION_SECONDS: int(900, 1),
  CANCELLATION_CUTOFF_MINUTES: int(20),
  TIMEZONE: z.string().default('Asia/Seoul').refine(isTimeZone, { message: 'not an IANA time zone' }),
  CORS_ORIGINS: list,
  /** Failed logins per login id per 15 minutes; then 429 for that account until the window ends. */
  LOGIN_FAILURES_PER_ACCOUNT: int(10, 1),
  /** Login attempts (failed or not) per client IP per minute. */
  LOGINS_PER_IP_PER_MINUTE: int(30, 1),
  REQUESTS_PER_IP_PER_MINUTE: int(600, 1),
  SIGNUPS_PER_IP_PER_HOUR: int(20, 1),
  HOLDS_PER_USER_PER_MINUTE: int(30, 1),
  PAYMENTS_PER_USER_PER_MINUTE: int(10, 1),
  /** POST /api/logs requests per client IP per minute. */
  LOGS_PER_IP_PER_MINUTE: int(60, 1),
  /** Live seat-map sockets one client address may hold open on one screening. */
  LIVE_SOCKETS_PER_IP_PER_SCREENING: int(32, 1),
  TRUST_PROXY: flag(),
  /** How soon a refund the gateway refused is tried again by the seat coordinator. */
  REFUND_RETRY_SECONDS: int(30, 1),
  /** The mock payment gateway's simulated round trip. */
  GATEWAY_LATENCY_MS: int(0),
  /**
   * `all`: one log line per request. `notable`: only answers worth a look beside the platform's own
   * request log (5xx, 401, 403, 429, or slower than a second); what wrangler.toml sets on Workers.
   */
  REQUEST_LOG: z.enum(['all', 'notable']).default('all'),
  /** Test only: honour the x-marquee-fault header (kill a payment after a step, fail refunds). */
  MARQUEE_TEST_FAULTS: flag(),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingName = keyof Settings;
export const settingNames = Object.keys(settingsSchema.shape) as SettingName[];

/** What a production entry cannot run without: no default would be safe for either. */
export const REQUIRED_SECRETS = ['DATABASE_URL', 'JWT_SECRET'] as const;

/** The required secrets these settings lack, in REQUIRED_SECRETS order. */
export function missingSecrets(settings: Settings): string[] {
  return REQUIRED_SECRETS.filter((name) => !settings[name]);
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads settings from a string map; blank values count as unset. Throws SettingsError naming the bad ones. */
export function readSettings(source: Record<string, unknown>): Settings {
  const picked: Record<string, unknown> = {};
  for (const name of settingNames) {
    const value = source[name];
    if (typeof value === 'string' && value.trim() !== '') picked[name] = value.trim();
  }
  const parsed = settingsSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new SettingsError(`invalid settings: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
