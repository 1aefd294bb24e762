// Marquee off Cloudflare: the same Hono app on Node or Deno, with the Redis coordinator in place of
// Durable Objects. Production (`start:node`, `start:deno`) needs DATABASE_URL and JWT_SECRET and
// never seeds nor touches an admin; development (`dev:node`, `dev:deno`) may use the embedded
// Postgres under a locked DATA_DIR, and loads the demo catalog and the dev admin. The runtime entry
// files (node.ts, deno.ts) add only what differs: serving HTTP and upgrading WebSockets.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Context } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import { MockPaymentGateway } from '../adapters/payment/mock-gateway.ts';
import { InProcessRateLimiter } from '../adapters/rate-limit/in-process.ts';
import { RedisRateLimiter } from '../adapters/rate-limit/redis.ts';
import { RedisBatchedCount } from '../adapters/rate-limit/redis-batches.ts';
import { RedisSeatCoordinator } from '../adapters/redis/redis-coordinator.ts';
import { RedisWaitingRoom } from '../adapters/redis/waiting-room-store.ts';
import { missingSecrets, readSettings, type Settings } from '../config/settings.ts';
import { type App, createApp } from '../http/app.ts';
import { clientIpFrom } from '../http/client-ip.ts';
import type { AppEnv, Runtime } from '../http/context.ts';
import { LiveSocketShares, liveSeatEvents } from '../http/live-socket.ts';
import { problemBody } from '../http/problem.ts';
import { mountWebPage, type ServeStatic } from '../http/web-page.ts';
import { lockDataDir } from '../local/data-dir-lock.ts';
import { type LocalDatabase, openLocalDatabase, StartupError } from '../local/database.ts';
import { runMigrations } from '../local/migrate.ts';
import { seedDemo, upsertAdmin } from '../local/seed.ts';
import { randomSecret } from '../local/startup.ts';
import { log } from '../log.ts';
import { settleDueWork } from '../services/due-work.ts';
import { runRetention } from './scheduled.ts';

const RETENTION_INTERVAL_MS = 60 * 60_000;

export interface StandaloneOptions {
  runtime: 'node' | 'deno';
  /** Development: embedded Postgres allowed, demo data and the dev admin, a random key if none. */
  dev?: boolean;
  env: Record<string, string | undefined>;
  /** The runtime's hono WebSocket helper (late-bound: Node's needs the app first). */
  upgradeWebSocket: () => UpgradeWebSocket;
  /** The socket's remote address. */
  remoteAddress(c: Context<AppEnv>): string | undefined;
  /** The runtime's hono static-file middleware, for the web page (dist/web). */
  serveStatic: ServeStatic;
  /** Set where the runtime's server writes the request id and fixed secure headers itself. */
  serverSetHeaders?: Runtime['serverSetHeaders'];
  /** Set where the runtime's server reads request bodies more cheaply than the Request's stream. */
  readBody?: Runtime['readBody'];
}

export interface Standalone {
  app: App;
  port: number;
  close(): Promise<void>;
}

export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  const settings = readSettings(options.env);
  if (!options.dev) {
    const missing = missingSecrets(settings);
    if (missing.length > 0)
      throw new StartupError(
        `${missing.join(' and ')} must be set to start in production (npm run dev:${options.runtime} runs locally with an embedded database and demo data).`,
      );
  }
  const lock = options.dev && !settings.DATABASE_URL ? lockDataDir(await dataDir(settings)) : undefined;
  // A lock left by a failed start goes when the process exits (fail() exits).
  // node-postgres over TCP: no relay hop, and no timer per write as the Neon driver waits.
  const database = await openLocalDatabase(settings, 'tcp');
  await runMigrations(database.url);
  if (options.dev) await seedDevelopment(database, settings, options.env);
  const jwtSecret = settings.JWT_SECRET ?? randomSecret();
  if (!settings.JWT_SECRET)
    log('warn', 'JWT_SECRET is not set: using a random key; tokens die with this process');

  // Sized to Postgres's cores rather than to the requests in flight: backends beyond them only take
  // turns, and each new session plans its statements against cold caches. On 2 cores, 10 against 20:
  // 301 and 313 payments a second against 257 and 277 (bench capacity phase, alternating runs).
  const shared = database.connect(10);
  const db = () => shared.db;
  const coordinator = new RedisSeatCoordinator({
    url: settings.REDIS_URL,
    db,
    settleDueWork: (screeningId, work, seats) =>
      settleDueWork(
        {
          db: db(),
          gateway: new MockPaymentGateway(db, { latencyMs: settings.GATEWAY_LATENCY_MS }),
          seats,
          problem: problemBody,
        },
        screeningId,
        work,
      ),
    settings,
  });
  await coordinator.start();

  const clientIp: Runtime['clientIp'] = (c) =>
    clientIpFrom({ get: (name) => c.req.header(name) }, settings.TRUST_PROXY, options.remoteAddress(c));
  const liveSockets = new LiveSocketShares(settings.LIVE_SOCKETS_PER_IP_PER_SCREENING);
  const runtime: Runtime = {
    name: options.runtime,
    // What this process really runs with: the embedded database, a random key in development.
    settings: { ...settings, DATABASE_URL: database.url, JWT_SECRET: jwtSecret },
    openDatabase: () => ({ db: shared.db, release: async () => {} }),
    seats: coordinator,
    waitingRoom: new RedisWaitingRoom(coordinator.client()),
    paymentGateway: (leaseDb, faults) =>
      new MockPaymentGateway(leaseDb, {
        latencyMs: settings.GATEWAY_LATENCY_MS,
        refundsFail: () => faults.refundFails,
      }),
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
    healthChecks: { redis: () => coordinator.ping() },
    // Counted in this process and added to the same Redis in batches (through the coordinator's
    // connection, offline queue off: a Redis that is gone fails open at once); the limits that must
    // be exact run one script per hit.
    rateLimiter: new InProcessRateLimiter(new RedisBatchedCount(coordinator.client())),
    exactRateLimiter: new RedisRateLimiter(coordinator.client()),
    clientIp,
    serverSetHeaders: options.serverSetHeaders,
    readBody: options.readBody,
    liveSeatMap: (c, screeningId) =>
      options.upgradeWebSocket()(
        c,
        liveSeatEvents(coordinator, screeningId, liveSockets.slot(screeningId, clientIp(c))),
      ),
  };
  const app = createApp(runtime);
  mountWebPage(app, options.serveStatic);
  // What the Workers cron trigger does, hourly: finished screenings' seat state and old records go.
  const retention = setInterval(
    () =>
      void runRetention(shared.db, coordinator).catch((error: unknown) =>
        log('warn', 'retention run failed', { error: String(error) }),
      ),
    RETENTION_INTERVAL_MS,
  );
  return {
    app,
    port: settings.PORT,
    async close() {
      clearInterval(retention);
      await coordinator.close();
      await shared.close().catch(() => {});
      await database.stop();
      lock?.release();
    },
  };
}

async function dataDir(settings: Settings): Promise<string> {
  await mkdir(settings.DATA_DIR, { recursive: true });
  return settings.DATA_DIR;
}

/** The demo catalog and the dev admin (ADMIN_LOGIN_ID / ADMIN_PASSWORD), as `npm run dev` loads them. */
async function seedDevelopment(
  database: LocalDatabase,
  settings: Settings,
  env: StandaloneOptions['env'],
): Promise<void> {
  const seeding = database.connect(2);
  try {
    await upsertAdmin(seeding.db, settings.ADMIN_LOGIN_ID, settings.ADMIN_PASSWORD);
    await seedDemo(seeding.db, settings.TIMEZONE);
  } finally {
    await seeding.close();
  }
  const password = env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : settings.ADMIN_PASSWORD;
  console.log(`development: demo data loaded; admin ${settings.ADMIN_LOGIN_ID} / ${password}`);
}
