// The Workers entry: builds the app once per isolate from the Worker's bindings, with a Postgres
// client per request (a client must not outlive the request that opened it): through the Hyperdrive
// binding when there is one (its pool reuses the connections to Postgres), else the Neon driver
// with DATABASE_URL. It exports the Durable Objects with the use cases they hand their due work to.
import { connect } from './adapters/db/client.ts';
import { connectHyperdrive } from './adapters/db/hyperdrive-client.ts';
import { DurableObjectSeatCoordinator } from './adapters/durable-object/coordinator.ts';
import { QueueRoom } from './adapters/durable-object/queue-room.ts';
import { ScreeningActorBase } from './adapters/durable-object/screening-actor.ts';
import { DurableObjectWaitingRoom } from './adapters/durable-object/waiting-room.ts';
import { MockPaymentGateway } from './adapters/payment/mock-gateway.ts';
import { DurableObjectRateLimiter, RateLimitCounter } from './adapters/rate-limit/durable-object.ts';
import { InProcessRateLimiter } from './adapters/rate-limit/in-process.ts';
import { RateLimitBindings } from './adapters/rate-limit/workers-binding.ts';
import { readSettings, type Settings } from './config/settings.ts';
import { runRetention } from './entries/scheduled.ts';
import { type App, createApp } from './http/app.ts';
import { clientIpFrom } from './http/client-ip.ts';
import type { Runtime } from './http/context.ts';
import { problemBody } from './http/problem.ts';
import { settleDueWork } from './services/due-work.ts';

export { QueueRoom, RateLimitCounter };

/** The screening actor, with what its alarm finds due (payments, refunds) settled by the use case. */
export class ScreeningActor extends ScreeningActorBase {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    const settings = readSettings(env as unknown as Record<string, unknown>);
    super(
      ctx,
      env,
      (screeningId, work, db, seats) => {
        const gateway = new MockPaymentGateway(() => db, { latencyMs: settings.GATEWAY_LATENCY_MS });
        return settleDueWork({ db, gateway, seats, problem: problemBody }, screeningId, work);
      },
      (max, idleTimeoutMillis) => openPostgres(env, settings, max, idleTimeoutMillis),
    );
  }
}

/**
 * Postgres for a request, the cron or an actor: Hyperdrive when bound, unless the local relay
 * stands in for it (PG_WS_PROXY: `npm run dev`, the tests, the bench); else the Neon driver.
 */
export function openPostgres(
  env: Cloudflare.Env,
  settings: Settings,
  max: number,
  idleTimeoutMillis?: number,
) {
  if (env.HYPERDRIVE && !settings.PG_WS_PROXY)
    return connectHyperdrive(env.HYPERDRIVE.connectionString, max, idleTimeoutMillis);
  if (!settings.DATABASE_URL) throw new Error('DATABASE_URL is not set for this Worker');
  return connect(settings.DATABASE_URL, settings.PG_WS_PROXY, max, idleTimeoutMillis);
}

export function workerRuntime(env: Cloudflare.Env): Runtime {
  const settings = readSettings(env as unknown as Record<string, unknown>);
  const seats = new DurableObjectSeatCoordinator(env.SCREENING_ACTOR);
  // Cloudflare sets CF-Connecting-IP itself; a client cannot choose it.
  const clientIp: Runtime['clientIp'] = (c) =>
    clientIpFrom(c.req.raw.headers, settings.TRUST_PROXY, c.req.header('cf-connecting-ip'));
  return {
    name: 'workers',
    settings,
    openDatabase() {
      const { db, close } = openPostgres(env, settings, 1);
      return { db, release: close };
    },
    seats,
    waitingRoom: new DurableObjectWaitingRoom(env.QUEUE_ROOM),
    paymentGateway: (db, faults) =>
      new MockPaymentGateway(db, {
        latencyMs: settings.GATEWAY_LATENCY_MS,
        refundsFail: () => faults.refundFails,
      }),
    liveSeatMap: (c, screeningId) => seats.live(screeningId, c.req.raw, clientIp(c), c.get('requestId')),
    // Per-minute limits: counted in the isolate, shared through the Rate Limiting bindings (off the
    // request's path); failed logins and sign-ups: exact, in the counter Durable Objects.
    rateLimiter: new InProcessRateLimiter(
      new RateLimitBindings({
        ip: env.REQUEST_LIMIT,
        'login-ip': env.LOGIN_LIMIT,
        holds: env.HOLD_LIMIT,
        payments: env.PAYMENT_LIMIT,
        'logs-ip': env.CLIENT_LOG_LIMIT,
      }),
    ),
    exactRateLimiter: new DurableObjectRateLimiter(env.RATE_LIMITER),
    clientIp,
  };
}

let app: App | undefined;

export default {
  fetch(request, env, ctx) {
    app ??= createApp(workerRuntime(env));
    return app.fetch(request, env, ctx);
  },
  async scheduled(_controller, env, ctx) {
    const settings = readSettings(env as unknown as Record<string, unknown>);
    const connection = openPostgres(env, settings, 1);
    const actors = env.SCREENING_ACTOR;
    const work = runRetention(connection.db, {
      purge: (screeningId) => actors.get(actors.idFromName(screeningId)).purge(),
    }).finally(() => connection.close());
    ctx.waitUntil(work);
    await work;
  },
} satisfies ExportedHandler<Cloudflare.Env>;
