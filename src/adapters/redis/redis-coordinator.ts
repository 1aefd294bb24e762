// The seat coordinator of the Deno/Node runtimes: a Redis-compatible store in place of Durable
// Objects (the seed's design, with its per-seat locks replaced by one atomic script per transition).
// Every transition is one call of seat-script.ts; Postgres stays the system of record, and a Redis
// that comes back empty is rebuilt from it before writes are accepted again. While Redis is down,
// writes fail fast with 503 and reads answer from the last known state or from Postgres.
import { AppError } from '../../domain/errors.ts';
import { checkId, checkSeatIds, MAX_SEATS_PER_HOLD, type SeatState } from '../../domain/seats/index.ts';
import type { SeatFeed, SeatFeedListener } from '../../http/live-socket.ts';
import { log } from '../../http/log.ts';
import type { PaymentGateway } from '../../ports/payment-gateway.ts';
import type { HoldView, SeatCoordinator, SeatMap, SeatResult } from '../../ports/seat-coordinator.ts';
import { settleDueWork } from '../../services/due-work.ts';
import type { Database } from '../db/client.ts';
import { loadScreeningSeats, type SeatLayout, screeningsWithOpenWork } from '../db/seat-repository.ts';
import { SeatWriteBehind } from '../db/seat-write-behind.ts';
import { ChangeFeed } from './change-feed.ts';
import { CommitLease } from './commit-lease.ts';
import { DeadlineSweeper, DUE_HINTS } from './deadline-sweeper.ts';
import { LastKnownSeats } from './last-known.ts';
import { command, connectSoon, isRedisReply, openRedis, type RedisClient, Script } from './redis-client.ts';
import { RedisHealth } from './redis-health.ts';
import { initPayload, loadScreeningImage, statusOfEntry } from './screening-image.ts';
import {
  asArray,
  done,
  holdResult,
  liveHoldsOf,
  NOT_FOUND,
  pairs,
  type Reply,
  refused,
  type StoredHold,
} from './script-replies.ts';
import { changesChannel, SEAT_SCRIPT, screeningKeys } from './seat-script.ts';

/** Every screening ever loaded, for the periodic re-index of deadline hints and for recovery. */
const SCREENINGS = 'marquee:screenings';
/** Present while Redis keeps our data; missing after an empty restart (then: rebuild). */
const EPOCH = 'marquee:epoch';
const RETRY_MS = 5_000;
const REINDEX_MS = 60_000;

export interface RedisCoordinatorOptions {
  url: string;
  db: () => Database;
  gateway: () => PaymentGateway;
  settings: {
    HOLD_TTL_SECONDS: number;
    PAYMENT_TIMEOUT_SECONDS: number;
    REFUND_RETRY_SECONDS: number;
    REDIS_HEALTH_INTERVAL_MS: number;
  };
  /** How often due deadlines are looked for (the API promises expiries within a second). */
  sweepIntervalMs?: number;
  /** How long a commit lease lasts before another process may take it over. */
  leaseMs?: number;
}

const seatScript = new Script(SEAT_SCRIPT);
const unavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', 'seat service is temporarily unavailable; try again shortly');

export class RedisSeatCoordinator implements SeatCoordinator, SeatFeed {
  readonly #options: RedisCoordinatorOptions;
  readonly #client: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #feed: ChangeFeed;
  readonly #health: RedisHealth;
  readonly #sweeper: DeadlineSweeper;
  readonly #lease: CommitLease;
  readonly #writeBehind: SeatWriteBehind;
  readonly #lastKnown = new LastKnownSeats();
  readonly #layouts = new Map<string, SeatLayout[]>();
  readonly #loading = new Map<string, Promise<boolean>>();
  /** Due payments and refunds this process tried lately: not again before the time stored. */
  readonly #backoff = new Map<string, number>();
  readonly #owner = crypto.randomUUID();
  #reindexTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RedisCoordinatorOptions) {
    this.#options = options;
    this.#client = openRedis(options.url);
    this.#subscriber = this.#client.duplicate();
    this.#subscriber.on('error', () => {});
    this.#feed = new ChangeFeed(this.#subscriber, (id, batch) => this.#lastKnown.sawBatch(id, batch));
    this.#health = new RedisHealth(this.#client, options.settings.REDIS_HEALTH_INTERVAL_MS, () =>
      this.#recover(),
    );
    this.#sweeper = new DeadlineSweeper({
      client: this.#client,
      owner: this.#owner,
      intervalMs: options.sweepIntervalMs ?? 250,
      ready: () => this.#health.up,
      sweep: (screeningId) => this.#sweep(screeningId),
      retryMs: RETRY_MS,
    });
    this.#lease = new CommitLease(
      (id, name, ...args) => this.#write(id, name, ...args),
      options.leaseMs ?? 10_000,
    );
    this.#writeBehind = new SeatWriteBehind(
      (work) => work(options.db()),
      (work) => void work,
    );
  }

  /** Connects (without waiting long for a Redis that is down), recovers, and starts the sweeper. */
  async start(): Promise<void> {
    await Promise.all([connectSoon(this.#client), connectSoon(this.#subscriber)]);
    await this.#health.start();
    this.#sweeper.start();
    this.#reindexTimer = setInterval(() => void this.#reindex().catch(() => {}), REINDEX_MS);
  }

  async close(): Promise<void> {
    this.#sweeper.stop();
    this.#health.stop();
    clearInterval(this.#reindexTimer);
    await Promise.allSettled([this.#client.close(), this.#subscriber.close()]);
  }

  /** The command connection, for others who keep state in the same Redis (the rate limiter). */
  client(): RedisClient {
    return this.#client;
  }

  /** Whether seats can be written now (GET /health `seats`). */
  async health(): Promise<boolean> {
    return this.#health.up;
  }

  /** Whether Redis answers at all (GET /health `redis`). */
  async ping(): Promise<boolean> {
    try {
      await command(this.#client, ['PING']);
      return true;
    } catch (error) {
      this.#health.failed(error);
      return false;
    }
  }

  async hold(screeningId: string, memberId: string, seatIds: string[]): Promise<SeatResult<HoldView>> {
    const invalid = checkId('memberId', memberId) ?? checkSeatIds(seatIds, 1, MAX_SEATS_PER_HOLD);
    if (invalid) return { ok: false, error: invalid };
    const ttlMs = this.#options.settings.HOLD_TTL_SECONDS * 1000;
    const token = crypto.randomUUID();
    const reply = await this.#write(screeningId, 'hold', memberId, token, ttlMs, ...seatIds);
    const result = holdResult(screeningId, reply);
    if (result.ok) await this.#writeBehind.holder(screeningId, memberId);
    return result;
  }

  async release(screeningId: string, memberId: string, holdToken: string): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, 'release', memberId, holdToken));
  }

  async startPayment(
    screeningId: string,
    memberId: string,
    holdToken: string,
  ): Promise<SeatResult<HoldView>> {
    const deadlineMs = this.#options.settings.PAYMENT_TIMEOUT_SECONDS * 1000;
    return holdResult(
      screeningId,
      await this.#write(screeningId, 'startPayment', memberId, holdToken, deadlineMs),
    );
  }

  async finishPayment(
    screeningId: string,
    holdToken: string,
    reservationNo: string,
  ): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, 'confirmPayment', holdToken, reservationNo));
  }

  async failPayment(screeningId: string, holdToken: string): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, 'failPayment', holdToken));
  }

  cancel(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>> {
    const retryMs = this.#options.settings.REFUND_RETRY_SECONDS * 1000; // retried by the sweeper unless done first
    return this.#seatCommand(screeningId, 'cancelReservation', seatIds, reservationNo, retryMs);
  }

  refundDone(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#seatCommand(screeningId, 'refundDone', seatIds, reservationNo);
  }

  block(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#seatCommand(screeningId, 'block', seatIds);
  }

  unblock(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#seatCommand(screeningId, 'unblock', seatIds);
  }

  disable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#seatCommand(screeningId, 'disable', seatIds);
  }

  enable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#seatCommand(screeningId, 'enable', seatIds);
  }

  async snapshot(screeningId: string): Promise<SeatResult<SeatMap>> {
    const reply = this.#health.up ? await this.#read(screeningId, 'snapshot') : 'down';
    if (reply === 'down') {
      const paymentTimeoutMs = this.#options.settings.PAYMENT_TIMEOUT_SECONDS * 1000;
      return this.#lastKnown.map(this.#options.db(), screeningId, paymentTimeoutMs);
    }
    if (!reply) return NOT_FOUND;
    if (!reply.ok) return refused(reply);
    const statuses = new Map<string, SeatState>(
      pairs(reply.seats).map(([seatId, entry]) => [seatId, statusOfEntry(entry)]),
    );
    const layout = await this.#layoutOf(screeningId);
    if (!layout) return NOT_FOUND;
    const map: SeatMap = {
      screeningId,
      version: reply.version ?? 0,
      seats: layout.map((seat) => ({ ...seat, status: statuses.get(seat.seatId) ?? 'DISABLED' })),
    };
    this.#lastKnown.saw(map);
    return { ok: true, value: map };
  }

  async holdsOf(screeningId: string, memberId: string): Promise<HoldView[]> {
    const reply = this.#health.up ? await this.#read(screeningId, 'holds') : 'down';
    if (reply === 'down' || !reply?.ok) return this.#lastKnown.holdsOf(screeningId, memberId);
    const holds = new Map(pairs(reply.holds).map(([token, hold]) => [token, JSON.parse(hold) as StoredHold]));
    this.#lastKnown.sawHolds(screeningId, holds);
    return liveHoldsOf(holds, screeningId, memberId, Date.now());
  }

  /**
   * The Postgres commit of a payment, under the screening's lease: one holder at a time across all
   * processes, each with a fencing token that only grows, which the commit checks in Postgres.
   */
  runFenced<T>(
    screeningId: string,
    holdToken: string,
    commit: (fenceToken: number | null) => Promise<T>,
  ): Promise<T> {
    return this.#lease.run(screeningId, holdToken, commit);
  }

  /** Forgets a finished screening (the retention job). A later call rebuilds it from Postgres. */
  async purge(screeningId: string): Promise<void> {
    await command(this.#client, ['DEL', ...screeningKeys(screeningId)]);
    await command(this.#client, ['SREM', SCREENINGS, screeningId]);
    await command(this.#client, ['ZREM', DUE_HINTS, screeningId]);
    this.#layouts.delete(screeningId);
    this.#lastKnown.forget(screeningId);
  }

  // --- the live seat map (SeatFeed) ---

  subscribe(screeningId: string, listener: SeatFeedListener): Promise<() => Promise<void>> {
    return this.#feed.subscribe(screeningId, listener);
  }

  async liveSnapshot(screeningId: string) {
    const map = await this.snapshot(screeningId);
    if (!map.ok) throw new AppError('NOT_FOUND', 'no such screening');
    return {
      type: 'snapshot' as const,
      version: map.value.version,
      seats: map.value.seats.map((seat) => ({ seatId: seat.seatId, status: seat.status })),
    };
  }

  // --- running the script ---

  /** A write: refused at once (503) unless Redis is up and its state checked against Postgres. */
  #write(screeningId: string, name: string, ...args: (string | number)[]): Promise<Reply | undefined> {
    if (!this.#health.up) return Promise.reject(unavailable());
    return this.#run(screeningId, name, args.map(String));
  }

  /** A read: 'down' when Redis cannot answer, so the caller falls back to what it last knew. */
  #read(screeningId: string, name: string): Promise<Reply | undefined | 'down'> {
    return this.#run(screeningId, name, []).catch((error: unknown) => {
      if (error instanceof AppError) return 'down' as const;
      throw error;
    });
  }

  /** A seat-list command (cancel, refund, admin moves); the list is checked before Redis sees it. */
  #seatCommand(
    screeningId: string,
    name: string,
    seatIds: string[],
    ...before: (string | number)[]
  ): Promise<SeatResult<null>> {
    const invalid = checkSeatIds(seatIds, 1, Number.MAX_SAFE_INTEGER);
    if (invalid) return Promise.resolve({ ok: false, error: invalid });
    return this.#write(screeningId, name, ...before, ...seatIds).then(done);
  }

  /** Runs a command; a cold screening is loaded from Postgres and the command run again. */
  async #run(screeningId: string, name: string, args: string[]): Promise<Reply | undefined> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const reply = await this.#eval(screeningId, name, args);
      if (!reply.cold) {
        if (reply.ok && (reply.changed ?? 0) > 0) this.#afterChange(screeningId, reply);
        return reply;
      }
      if (!(await this.#load(screeningId))) return undefined;
    }
    throw new Error(`screening ${screeningId} would not stay loaded in Redis`);
  }

  async #eval(screeningId: string, name: string, args: string[]): Promise<Reply> {
    try {
      const keys = screeningKeys(screeningId);
      const raw = await seatScript.run(this.#client, keys, [changesChannel(screeningId), name, ...args]);
      return JSON.parse(raw) as Reply;
    } catch (error) {
      if (isRedisReply(error)) throw error; // Redis answered: a bug, not an outage
      this.#health.failed(error);
      throw unavailable();
    }
  }

  #afterChange(screeningId: string, reply: Reply): void {
    this.#writeBehind.counts(screeningId, reply.available ?? 0, reply.version ?? 0);
    if (reply.deadline !== undefined) {
      this.#sweeper.hint(screeningId, reply.deadline).catch((error: unknown) => this.#health.failed(error));
    }
  }

  /** One load per screening at a time; the script's `init` writes nothing if another process won. */
  #load(screeningId: string): Promise<boolean> {
    let loading = this.#loading.get(screeningId);
    if (!loading) {
      loading = this.#loadOnce(screeningId).finally(() => this.#loading.delete(screeningId));
      this.#loading.set(screeningId, loading);
    }
    return loading;
  }

  async #loadOnce(screeningId: string): Promise<boolean> {
    const paymentTimeoutMs = this.#options.settings.PAYMENT_TIMEOUT_SECONDS * 1000;
    const image = await loadScreeningImage(this.#options.db(), screeningId, paymentTimeoutMs);
    if (!image) return false;
    this.#layouts.set(screeningId, image.layout);
    await this.#eval(screeningId, 'init', [initPayload(image)]);
    await command(this.#client, ['SADD', SCREENINGS, screeningId]);
    await this.#sweeper.hint(screeningId, Date.now()); // whatever the image brought that is due
    return true;
  }

  async #layoutOf(screeningId: string): Promise<SeatLayout[] | undefined> {
    const known = this.#layouts.get(screeningId);
    if (known) return known;
    const record = await loadScreeningSeats(this.#options.db(), screeningId);
    if (record) this.#layouts.set(screeningId, record.layout);
    return record?.layout;
  }

  // --- deadlines, recovery ---

  /** The sweeper's work for one screening: expiries, then due payments and refunds settled. */
  async #sweep(screeningId: string): Promise<number | null> {
    const reply = await this.#run(screeningId, 'expire', []);
    if (!reply?.ok) return null;
    const now = Date.now();
    for (const [key, until] of this.#backoff) if (until <= now) this.#backoff.delete(key);
    const fresh = <T>(key: string, item: T): T[] => {
      if (this.#backoff.has(key)) return [];
      this.#backoff.set(key, now + RETRY_MS);
      return [item];
    };
    const payments = asArray<string>(reply.duePayments).flatMap((holdToken) =>
      fresh(`p:${holdToken}`, { holdToken }),
    );
    const refunds = asArray<{ reservationNo: string }>(reply.dueRefunds).flatMap(({ reservationNo }) =>
      fresh(`r:${reservationNo}`, { reservationNo }),
    );
    if (payments.length > 0 || refunds.length > 0) {
      const deps = { db: this.#options.db(), gateway: this.#options.gateway(), seats: this };
      await settleDueWork(deps, screeningId, { payments, refunds });
    }
    // Work due in this pass is tried again after a pause (if it is still due then), not every tick.
    const retryAt = payments.length + refunds.length > 0 ? now + RETRY_MS : Number.POSITIVE_INFINITY;
    const next = Math.min(reply.nextFuture ?? Number.POSITIVE_INFINITY, retryAt);
    return Number.isFinite(next) ? next : null;
  }

  /**
   * Redis answers again. If it came back empty (our epoch marker is gone), every screening with
   * work in flight is rebuilt from Postgres now (payments in flight as PAYMENT_PENDING, refunds not
   * yet done); any other screening is rebuilt on first use. Then the deadline hints are put back.
   */
  async #recover(): Promise<void> {
    const emptied = (await command<string | null>(this.#client, ['SET', EPOCH, this.#owner, 'NX'])) === 'OK';
    if (emptied) {
      const open = await screeningsWithOpenWork(this.#options.db());
      for (const screeningId of new Set([...open, ...this.#feed.watched()])) await this.#load(screeningId);
      log('info', 'redis was empty: seat state rebuilt from Postgres', { screenings: open.length });
    }
    await this.#reindex();
    this.#feed.resync();
  }

  /** Puts a deadline hint back for every loaded screening; the next sweep finds their true deadlines. */
  async #reindex(): Promise<void> {
    const ids = await command<string[]>(this.#client, ['SMEMBERS', SCREENINGS]);
    const now = String(Date.now());
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500).flatMap((id) => [now, id]);
      if (chunk.length > 0) await command(this.#client, ['ZADD', DUE_HINTS, 'LT', ...chunk]);
    }
  }
}
