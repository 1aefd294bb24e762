// The seat coordinator of the Deno/Node runtimes: the domain reducer in this process over a
// versioned screening image in Redis, in place of Durable Objects. Commands for a screening queue
// in one line (screening-lines.ts) and are committed as version-checked differences
// (screening-store.ts), so several processes can share one Redis. Postgres stays the system of
// record, and a Redis that comes back empty is rebuilt from it before writes are accepted again.
// While Redis is down, writes fail fast with 503 and reads answer from the last known state.
import { AppError } from '../../domain/errors.ts';
import {
  type BestRequest,
  type Decision,
  duePayments,
  dueRefunds,
  earliestDeadline,
  HOLD_RULES,
  holdCommand,
  holdsOf,
  nextDeadline,
  type Reducer,
  reducerWith,
  rememberDeadline,
  type ScreeningSeats,
  type SeatCommand,
} from '../../domain/seats/index.ts';
import { log } from '../../log.ts';
import type {
  CommitBatch,
  HoldView,
  ScreeningConfig,
  SeatCoordinator,
  SeatMap,
  SeatResult,
  SettleDueWork,
} from '../../ports/seat-coordinator.ts';
import type { SeatFeed, SeatFeedListener } from '../../ports/seat-feed.ts';
import type { Database } from '../db/client.ts';
import {
  loadScreeningSeats,
  type SeatLayout,
  screeningsWithOpenWork,
  seatMapOf,
} from '../db/seat-repository.ts';
import { SeatWriteBehind } from '../db/seat-write-behind.ts';
import { ChangeFeed } from './change-feed.ts';
import { CommitLease, type LeaseAttempt } from './commit-lease.ts';
import { DeadlineSweeper, DUE_HINTS } from './deadline-sweeper.ts';
import { LastKnownSeats } from './last-known.ts';
import { command, connectSoon, isRedisOutage, openRedis, type RedisClient } from './redis-client.ts';
import { RedisHealth } from './redis-health.ts';
import { loadScreeningImage } from './screening-image.ts';
import { type Committed, type LineAnswer, type LineJob, ScreeningLines } from './screening-lines.ts';
import { commitDifference, initImage, loadImage, releaseLease, screeningKeys } from './screening-store.ts';

/** Every screening ever loaded, for the periodic re-index of deadline hints and for recovery. */
const SCREENINGS = 'marquee:screenings';
/** Present while Redis keeps our data; missing after an empty restart (then: rebuild). */
const EPOCH = 'marquee:epoch';
const RETRY_MS = 5_000;
const REINDEX_MS = 60_000;

export interface RedisCoordinatorOptions {
  url: string;
  db: () => Database;
  /** Payments past their deadline and refunds due: handed over, the coordinator runs no use case. */
  settleDueWork: SettleDueWork;
  settings: {
    HOLD_TTL_SECONDS: number;
    PAYMENT_TIMEOUT_SECONDS: number;
    REFUND_RETRY_SECONDS: number;
    REDIS_HEALTH_INTERVAL_MS: number;
    /** Default 900 (src/config/settings.ts); tests may leave it out. */
    HOLD_MAX_SECONDS?: number;
    /** Default here 0 (none): the entries pass the setting's own default of 120. */
    HOLD_COOLDOWN_SECONDS?: number;
  };
  /** How often due deadlines are looked for (the API promises expiries within a second). */
  sweepIntervalMs?: number;
  /** How long a commit lease lasts before another process may take it over. */
  leaseMs?: number;
  /** The seat rules; the domain's own unless a test shows that the adapter follows another. */
  reduce?: Reducer;
}

const NOT_FOUND = { ok: false, error: { code: 'NOT_FOUND' } } as const;
const iso = (ms: number) => new Date(ms).toISOString();
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
  readonly #lines: ScreeningLines;
  readonly #writeBehind: SeatWriteBehind;
  readonly #lastKnown = new LastKnownSeats();
  readonly #layouts = new Map<string, SeatLayout[]>();
  /**
   * Each screening's seat map and the state it was made from, at that state's version: a sale's
   * readers share one map (and one serialization of it) until the next change.
   */
  readonly #maps = new Map<string, { state: ScreeningSeats; map: SeatMap }>();
  readonly #building = new Map<string, Promise<boolean>>();
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
    this.#lines = new ScreeningLines(
      {
        load: async (screeningId) => {
          const image = await this.#redis(() => loadImage(this.#client, screeningId));
          if (image) this.#writeBehind.loaded(image.state);
          return image;
        },
        build: (screeningId) => this.#build(screeningId),
        commit: (difference) => this.#redis(() => commitDifference(this.#client, difference)),
      },
      options.reduce ??
        reducerWith({ ...HOLD_RULES, cooldownMs: (options.settings.HOLD_COOLDOWN_SECONDS ?? 0) * 1000 }),
      (committed) => this.#afterCommit(committed),
      (state) => this.#withLayout(state),
    );
    this.#lease = new CommitLease(
      {
        acquire: (screeningId, holdTokens, leaseMs) => this.#acquireLease(screeningId, holdTokens, leaseMs),
        release: (screeningId, fence) => this.#redis(() => releaseLease(this.#client, screeningId, fence)),
      },
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

  async hold(
    screeningId: string,
    memberId: string,
    seatIds: readonly string[],
  ): Promise<SeatResult<HoldView>> {
    return this.#hold(screeningId, memberId, holdCommand(memberId, { seatIds }));
  }

  async holdBest(screeningId: string, memberId: string, best: BestRequest): Promise<SeatResult<HoldView>> {
    return this.#hold(screeningId, memberId, holdCommand(memberId, { best }));
  }

  /** A hold of named or chosen seats: a new token, the TTL, and the member-hold index after the commit. */
  async #hold(
    screeningId: string,
    memberId: string,
    command: (holdToken: string, ttlMs: number) => SeatCommand,
  ): Promise<SeatResult<HoldView>> {
    const holdToken = crypto.randomUUID();
    const answer = await this.#write(
      screeningId,
      command(holdToken, this.#options.settings.HOLD_TTL_SECONDS * 1000),
      holdToken,
    );
    const result = holdAnswer(screeningId, answer, holdToken);
    if (result.ok) this.#writeBehind.holder(screeningId, memberId); // written behind, within DELAY_MS
    return result;
  }

  async release(
    screeningId: string,
    memberId: string,
    holdToken: string,
    undo = false,
  ): Promise<SeatResult<null>> {
    const command: SeatCommand = {
      type: 'release',
      memberId,
      holdToken,
      ...(undo ? { cooldown: false } : {}),
    };
    return done(await this.#write(screeningId, command));
  }

  async extend(screeningId: string, memberId: string, holdToken: string): Promise<SeatResult<HoldView>> {
    const { HOLD_TTL_SECONDS, HOLD_MAX_SECONDS = 900 } = this.#options.settings;
    const answer = await this.#write(
      screeningId,
      {
        type: 'extend',
        memberId,
        holdToken,
        ttlMs: HOLD_TTL_SECONDS * 1000,
        maxMs: HOLD_MAX_SECONDS * 1000,
      },
      holdToken,
    );
    return holdAnswer(screeningId, answer, holdToken);
  }

  async configure(screeningId: string, config: ScreeningConfig): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'configure', ...config }));
  }

  async startPayment(
    screeningId: string,
    memberId: string,
    holdToken: string,
    paymentKey?: string,
  ): Promise<SeatResult<HoldView>> {
    const paymentDeadlineMs = this.#options.settings.PAYMENT_TIMEOUT_SECONDS * 1000;
    const answer = await this.#write(
      screeningId,
      {
        type: 'startPayment',
        memberId,
        holdToken,
        paymentDeadlineMs,
        ...(paymentKey === undefined ? {} : { paymentKey }),
      },
      holdToken,
    );
    return holdAnswer(screeningId, answer, holdToken);
  }

  async finishPayment(
    screeningId: string,
    holdToken: string,
    reservationNo: string,
  ): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'confirmPayment', holdToken, reservationNo }));
  }

  async failPayment(screeningId: string, holdToken: string): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'failPayment', holdToken }));
  }

  async cancel(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>> {
    const refundDeadlineMs = this.#options.settings.REFUND_RETRY_SECONDS * 1000; // retried by the sweeper unless done first
    return done(
      await this.#write(screeningId, { type: 'cancelReservation', reservationNo, seatIds, refundDeadlineMs }),
    );
  }

  async refundDone(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'refundDone', reservationNo, seatIds }));
  }

  async block(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'block', seatIds }));
  }

  async unblock(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'unblock', seatIds }));
  }

  async disable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'disable', seatIds }));
  }

  async enable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return done(await this.#write(screeningId, { type: 'enable', seatIds }));
  }

  async snapshot(screeningId: string): Promise<SeatResult<SeatMap>> {
    const state = await this.#read(screeningId);
    if (state === 'down') {
      const paymentTimeoutMs = this.#options.settings.PAYMENT_TIMEOUT_SECONDS * 1000;
      return this.#lastKnown.map(this.#options.db(), screeningId, paymentTimeoutMs);
    }
    if (!state) return NOT_FOUND;
    const layout = await this.#layoutOf(screeningId);
    if (!layout) return NOT_FOUND;
    const known = this.#maps.get(screeningId);
    // Readers get a copy of the line's image made once per image state (screening-lines.ts) and never
    // changed after: the same state object is the same seats (its version is compared as a guard).
    if (known?.state === state && known.map.version === state.version) return { ok: true, value: known.map };
    const map = seatMapOf(layout, state);
    this.#maps.set(screeningId, { state, map });
    this.#lastKnown.saw(map);
    return { ok: true, value: map };
  }

  async holdsOf(screeningId: string, memberId: string): Promise<HoldView[]> {
    const state = await this.#read(screeningId);
    if (state === 'down' || !state) return this.#lastKnown.holdsOf(screeningId, memberId);
    this.#lastKnown.sawHolds(screeningId, state.holds);
    return holdsOf(state, memberId, Date.now()).map((hold) => ({
      holdToken: hold.holdToken,
      screeningId,
      seatIds: [...hold.seatIds],
      expiresAt: iso(hold.expiresAt),
    }));
  }

  /**
   * The Postgres commit of payments, under the screening's lease: one holder at a time across all
   * processes, each with a fencing token that only grows, which the commit checks in Postgres; the
   * payments of a screening waiting meanwhile in this process commit together (commit-lease.ts).
   */
  commitFenced<I, R>(screeningId: string, holdToken: string, item: I, batch: CommitBatch<I, R>): Promise<R> {
    return this.#lease.run(screeningId, holdToken, item, batch);
  }

  /** Forgets a finished screening (the retention job). A later call rebuilds it from Postgres. */
  async purge(screeningId: string): Promise<void> {
    await command(this.#client, ['DEL', ...screeningKeys(screeningId)]);
    await command(this.#client, ['SREM', SCREENINGS, screeningId]);
    await command(this.#client, ['ZREM', DUE_HINTS, screeningId]);
    this.#lines.forget(screeningId);
    this.#layouts.delete(screeningId);
    this.#maps.delete(screeningId);
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

  // --- running commands ---

  /**
   * A write: refused at once (503) unless Redis is up and its state checked against Postgres. With
   * `holdToken`, the answer brings that hold as the command left it.
   */
  async #write(screeningId: string, seatCommand: SeatCommand, holdToken?: string): Promise<LineAnswer> {
    if (!this.#health.up) throw unavailable();
    // The gap rule and best-available read the layout: have it in this process first (once).
    if (seatCommand.type === 'hold' || seatCommand.type === 'holdBest') await this.#layoutOf(screeningId);
    return this.#lines.run(screeningId, {
      command: seatCommand,
      ...(holdToken === undefined ? {} : { hold: holdToken }),
    });
  }

  /**
   * The layout is not kept in Redis (it never changes, and would make every read bigger): each
   * process attaches its own copy, read once from Postgres, to an image before the reducer sees it.
   */
  #withLayout(state: ScreeningSeats): ScreeningSeats {
    if (state.layout) return state;
    const layout = this.#layouts.get(state.screeningId);
    // The copy keeps what is known of its deadline: the reducer asks for it on every command.
    return layout ? rememberDeadline({ ...state, layout }, earliestDeadline(state)) : state;
  }

  /** A read, with expired holds swept first; 'down' when Redis cannot answer now. */
  async #read(screeningId: string): Promise<ScreeningSeats | undefined | 'down'> {
    if (!this.#health.up) return 'down';
    try {
      const answer = await this.#lines.run(screeningId, { command: { type: 'expire' }, read: true });
      return answer.kind === 'done' ? answer.state : undefined;
    } catch (error) {
      if (error instanceof AppError) return 'down';
      throw error;
    }
  }

  /** A Redis call; a failure that is not Redis' own answer is an outage: 503, and health hears of it. */
  async #redis<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!isRedisOutage(error)) throw error; // Redis answered: a bug, not an outage
      this.#health.failed(error);
      throw unavailable();
    }
  }

  async #acquireLease(
    screeningId: string,
    holdTokens: readonly string[],
    leaseMs: number,
  ): Promise<LeaseAttempt> {
    const job: LineJob = { command: { type: 'expire' }, lease: { holdTokens, leaseMs } };
    if (!this.#health.up) throw unavailable();
    const answer = await this.#lines.run(screeningId, job);
    if (answer.kind === 'missing') return 'missing';
    const lease = answer.lease ?? 'not-in-payment';
    return typeof lease === 'object' && 'fence' in lease
      ? { fence: lease.fence, inPayment: answer.inPayment ?? [] }
      : lease;
  }

  #afterCommit({ screeningId, version, available, deadlines, earliestBefore }: Committed): void {
    this.#writeBehind.counts(screeningId, available, version);
    // A hint only when the earliest future deadline moved forward: when the commit wrote one before
    // it. A later one is found by the sweep itself (work already due and waiting for its retry must
    // not hide a new hold's expiry: with something overdue, every new deadline is hinted).
    const now = Date.now();
    let written: number | undefined;
    for (const at of deadlines) if (at > now && (written === undefined || at < written)) written = at;
    if (written === undefined) return;
    if (earliestBefore !== null && earliestBefore > now && written >= earliestBefore) return;
    this.#sweeper.hint(screeningId, written).catch((error: unknown) => this.#health.failed(error));
  }

  /** One build per screening at a time; `initImage` writes nothing if another process won. */
  #build(screeningId: string): Promise<boolean> {
    let building = this.#building.get(screeningId);
    if (!building) {
      building = this.#buildOnce(screeningId).finally(() => this.#building.delete(screeningId));
      this.#building.set(screeningId, building);
    }
    return building;
  }

  async #buildOnce(screeningId: string): Promise<boolean> {
    const paymentTimeoutMs = this.#options.settings.PAYMENT_TIMEOUT_SECONDS * 1000;
    const image = await loadScreeningImage(this.#options.db(), screeningId, paymentTimeoutMs);
    if (!image) return false;
    this.#layouts.set(screeningId, image.layout);
    await this.#redis(async () => {
      await initImage(this.#client, image.state, image.fence);
      await command(this.#client, ['SADD', SCREENINGS, screeningId]);
      await this.#sweeper.hint(screeningId, Date.now()); // whatever the image brought that is due
    });
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
    const answer = await this.#lines.run(screeningId, { command: { type: 'expire' }, read: true });
    if (answer.kind !== 'done' || !answer.state) return null;
    const { state } = answer;
    const now = Date.now();
    for (const [key, until] of this.#backoff) if (until <= now) this.#backoff.delete(key);
    const fresh = <T>(key: string, item: T): T[] => {
      if (this.#backoff.has(key)) return [];
      this.#backoff.set(key, now + RETRY_MS);
      return [item];
    };
    const payments = duePayments(state, now).flatMap((due) => fresh(`p:${due.holdToken}`, due));
    const refunds = dueRefunds(state, now).flatMap((due) => fresh(`r:${due.reservationNo}`, due));
    if (payments.length > 0 || refunds.length > 0) {
      await this.#options.settleDueWork(screeningId, { payments, refunds }, this);
    }
    // Work due in this pass is tried again after a pause (if it is still due then), not every tick.
    const retryAt = payments.length + refunds.length > 0 ? now + RETRY_MS : Number.POSITIVE_INFINITY;
    const next = Math.min(nextDeadline(state, now) ?? Number.POSITIVE_INFINITY, retryAt);
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
      this.#lines.forgetImages();
      const open = await screeningsWithOpenWork(this.#options.db());
      for (const screeningId of new Set([...open, ...this.#feed.watched()])) await this.#build(screeningId);
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

function refusal(decision: Decision & { ok: false }): { ok: false; error: typeof decision.error } {
  return { ok: false, error: decision.error };
}

function done(answer: LineAnswer): SeatResult<null> {
  if (answer.kind === 'missing') return NOT_FOUND;
  return answer.decision.ok ? { ok: true, value: null } : refusal(answer.decision);
}

function holdAnswer(screeningId: string, answer: LineAnswer, holdToken: string): SeatResult<HoldView> {
  if (answer.kind === 'missing') return NOT_FOUND;
  if (!answer.decision.ok) return refusal(answer.decision);
  const hold = answer.hold;
  if (!hold) throw new Error(`hold ${holdToken} vanished right after it was made`);
  return {
    ok: true,
    value: { holdToken, screeningId, seatIds: [...hold.seatIds], expiresAt: iso(hold.expiresAt) },
  };
}
