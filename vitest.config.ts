// Projects: pure unit tests in Node, Node-side integration (migrations, constraints, relay, dev
// runner, the Redis coordinator and rate limiter, the page's static serving), the Worker itself
// inside workerd, and the web page end to end in Chromium against the dev stack. All share one
// database made by global-setup. Every request of the worker projects comes from one address
// ('unknown': SELF.fetch sends no CF-Connecting-IP), so their rate limits are lifted; worker-limits
// runs small real ones; worker-unconfigured runs without a secret production needs.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { localHyperdriveUrl } from './src/local/local-hyperdrive.ts';

/** wrangler.toml's Rate Limiting bindings (name → namespace), for projects that change their limits. */
const RATE_LIMIT_BINDINGS = {
  REQUEST_LIMIT: '1301',
  LOGIN_LIMIT: '1302',
  HOLD_LIMIT: '1303',
  PAYMENT_LIMIT: '1304',
  CLIENT_LOG_LIMIT: '1305',
};
type RateLimits = Record<
  string,
  { type: 'ratelimit'; namespace_id: string; simple: { limit: number; period: 60 } }
>;
const rateLimits = (limit: number, names: Record<string, string> = RATE_LIMIT_BINDINGS): RateLimits =>
  Object.fromEntries(
    Object.entries(names).map(([name, namespace]) => [
      name,
      { type: 'ratelimit', namespace_id: namespace, simple: { limit, period: 60 } },
    ]),
  );

/**
 * `vars` override the bindings; a var set to undefined leaves that binding out altogether.
 * `hyperdrive`: the test database as the Worker's HYPERDRIVE binding (else it is the relay's).
 * `ratelimits` replace wrangler.toml's Rate Limiting bindings of those names (or add some).
 */
function workerProject(
  name: string,
  include: string,
  vars: Record<string, string | undefined>,
  options: { hyperdrive?: boolean; ratelimits?: RateLimits } = {},
) {
  const { hyperdrive = false, ratelimits = {} } = options;
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: Object.fromEntries(
            Object.entries({
              DATABASE_URL: inject('databaseUrl'),
              PG_WS_PROXY: inject('wsProxy'),
              JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
              ADMIN_LOGIN_ID: 'admin',
              MARQUEE_TEST_FAULTS: '1',
              ...(hyperdrive
                ? { TEST_DATABASE_URL: inject('databaseUrl'), TEST_WS_PROXY: inject('wsProxy') }
                : {}),
              ...vars,
            }).filter((entry): entry is [string, string] => entry[1] !== undefined),
          ),
          ...(hyperdrive ? { hyperdrives: { HYPERDRIVE: localHyperdriveUrl(inject('databaseUrl')) } } : {}),
          ratelimits,
        },
      })),
    ],
    test: { name, include: [include], testTimeout: 30_000 },
  };
}

const LIFTED = '1000000';
const LIFTED_LIMITS = {
  REQUESTS_PER_IP_PER_MINUTE: LIFTED,
  LOGINS_PER_IP_PER_MINUTE: LIFTED,
  SIGNUPS_PER_IP_PER_HOUR: LIFTED,
  HOLDS_PER_USER_PER_MINUTE: LIFTED,
  PAYMENTS_PER_USER_PER_MINUTE: LIFTED,
  LOGS_PER_IP_PER_MINUTE: LIFTED,
  HOLD_SEATS_PER_IP_PER_HOUR: LIFTED,
  // Fixture members hold in many screenings; the limit itself is tested in worker-limits.
  HELD_SCREENINGS_PER_MEMBER: LIFTED,
};

export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    // Request logs of passing tests are noise; a failing test still shows its own.
    silent: 'passed-only',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A timeout catches a hang, not a slow machine: the property suites are fixed CPU work on
          // 2 cores shared with the other projects' workerd and Node servers. The reducer's first
          // property took 3.4 s in one full run and 6.2 s in another, past vitest's 5 s default.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      workerProject('worker', 'test/worker/**/*.test.ts', LIFTED_LIMITS, {
        ratelimits: rateLimits(1_000_000),
      }),
      // Short hold, payment and admission lifetimes, for expiry and settlement tests that wait them out.
      workerProject(
        'worker-expiry',
        'test/worker-expiry/**/*.test.ts',
        {
          ...LIFTED_LIMITS,
          HOLD_TTL_SECONDS: '2',
          HOLD_MAX_SECONDS: '3',
          PAYMENT_TIMEOUT_SECONDS: '3',
          REFUND_RETRY_SECONDS: '2',
          ADMISSION_SECONDS: '2',
        },
        { ratelimits: rateLimits(1_000_000) },
      ),
      // Small limits and a CORS allowlist; each test calls from addresses of its own.
      workerProject(
        'worker-limits',
        'test/worker-limits/**/*.test.ts',
        {
          REQUESTS_PER_IP_PER_MINUTE: '40',
          LOGINS_PER_IP_PER_MINUTE: '6',
          LOGIN_FAILURES_PER_ACCOUNT: '3',
          SIGNUPS_PER_IP_PER_HOUR: '3',
          HOLDS_PER_USER_PER_MINUTE: '3',
          PAYMENTS_PER_USER_PER_MINUTE: '2',
          LOGS_PER_IP_PER_MINUTE: '3',
          LIVE_SOCKETS_PER_IP_PER_SCREENING: '2',
          HOLD_SEATS_PER_IP_PER_HOUR: '6',
          HELD_SCREENINGS_PER_MEMBER: '2',
          CORS_ORIGINS: 'https://tickets.marquee.test, https://admin.marquee.test',
        },
        // wrangler.toml's bindings as they are, and one with a limit of 2 for the test of the shared count.
        { ratelimits: rateLimits(2, { TEST_SHARED_LIMIT: '1399' }) },
      ),
      // Production's database path: Postgres only through the Hyperdrive binding (node-postgres on
      // workerd's sockets, via Miniflare's local Hyperdrive), no relay, and a DATABASE_URL that
      // leads nowhere; the tests' own fixtures reach the database as TEST_DATABASE_URL.
      workerProject(
        'worker-hyperdrive',
        'test/worker-hyperdrive/**/*.test.ts',
        {
          ...LIFTED_LIMITS,
          DATABASE_URL: 'postgres://nobody@127.0.0.1:9/not-used-with-hyperdrive',
          PG_WS_PROXY: undefined,
        },
        { hyperdrive: true, ratelimits: rateLimits(1_000_000) },
      ),
      // A deployment whose operator forgot `wrangler secret put JWT_SECRET`.
      workerProject('worker-unconfigured', 'test/worker-unconfigured/**/*.test.ts', {
        JWT_SECRET: undefined,
      }),
    ],
  },
});
