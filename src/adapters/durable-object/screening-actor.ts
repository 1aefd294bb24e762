// The screening actor: the one Durable Object that owns a screening's seats. Every transition runs
// the pure reducer on in-memory state, writes what it decided into that state (adopt: no copy) and
// into its own SQLite synchronously (the rows it wrote), so nothing can slip in between reading and
// writing a seat; Postgres is read only when the actor is cold. The live sockets get the changes in
// batches: a change after a quiet spell goes out at once, and the changes committed within the next
// LIVE_TICK_MS go out together, as one version of the live map. What is due at
// its alarm (payments to settle, refunds to retry) it hands to `settleDueWork`, which the Workers
// entry (src/index.ts) defines: the actor runs no use case and builds no payment gateway.
import { DurableObject } from 'cloudflare:workers';
import { readSettings, type Settings } from '../../config/settings.ts';
import {
  adopt,
  availableChange,
  type BestRequest,
  countAvailableByStatus,
  type Decision,
  duePayments,
  dueRefunds,
  HOLD_RULES,
  holdCommand,
  holdsOf,
  nextDeadline,
  type Reducer,
  reducerWith,
  type ScreeningSeats,
  type SeatChange,
  type SeatCommand,
  snapshot,
  takenUntil,
} from '../../domain/seats/index.ts';
import { log } from '../../log.ts';
import {
  type DueWork,
  type HoldView,
  LIVE_MESSAGE_MAX_BYTES,
  type ScreeningConfig,
  type SeatCoordinator,
  type SeatMap,
  type SeatResult,
} from '../../ports/seat-coordinator.ts';
import type { Database, DatabaseConnection } from '../db/client.ts';
import { loadScreeningSeats, screeningSeatsOf, seatMapOf } from '../db/seat-repository.ts';
import { SeatWriteBehind } from '../db/seat-write-behind.ts';
import { ActorStorage, type Published, type StoredScreening } from './actor-storage.ts';

/**
 * After a live batch is sent, the changes of the next LIVE_TICK_MS wait and go out together: a sale's
 * hundreds of changes a second cost each socket tens of messages, not hundreds.
 */
export const LIVE_TICK_MS = 25;

/** Batches remembered for the fronts' seat views (older views get every seat again). */
const RECENT_BATCHES = 64;

/**
 * What a front learns with an answer: the seats changed since the version it knew, each with until
 * when it is taken (0: free, null: until further notice), or every seat when it knew none of them.
 */
export interface SeatsSeenSince {
  version: number;
  salesOpenAt: number;
  startTime: number;
  full: boolean;
  seats: [seatId: string, until: number | null][];
}

/** How long the actor's Postgres connection may stay idle before it is closed. */
const IDLE_CONNECTION_MS = 1_000;
/** How long to wait before retrying work that is due but could not be settled yet. */
const RETRY_MS = 5_000;
export const SCREENING_HEADER = 'x-marquee-screening';
/** The client address a live socket is counted under (set by the Worker, never by the client). */
export const CLIENT_HEADER = 'x-marquee-client';

const NOT_FOUND = { ok: false, error: { code: 'NOT_FOUND' } } as const;
const iso = (ms: number) => new Date(ms).toISOString();

function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current && parts.length < 5; current = (current as { cause?: unknown }).cause) {
    parts.push(current instanceof Error ? (current.message.split('\n')[0] ?? '') : String(current));
  }
  return parts.join(' <- ');
}

/** Settles due work with the actor's Postgres connection, then tells the actor (`seats`) the outcome. */
export type ActorDueWork = (
  screeningId: string,
  work: DueWork,
  db: Database,
  seats: SeatCoordinator,
) => Promise<void>;

/** Opens the actor's Postgres connection; the Workers entry decides how (Hyperdrive or the Neon driver). */
export type ActorDatabase = (
  max: number,
  idleTimeoutMillis: number,
) => Pick<DatabaseConnection, 'db' | 'close'>;

/** Exported by the Workers entry as a subclass that passes its `ActorDueWork` and `ActorDatabase`. */
export abstract class ScreeningActorBase extends DurableObject<Cloudflare.Env> implements SeatCoordinator {
  readonly #storage: ActorStorage;
  readonly #settings: Settings;
  #screening: StoredScreening | undefined;
  /** The screening's AVAILABLE seats, kept from change to change (countAvailableByStatus). */
  #available: number | undefined;
  #alarmAt: number | null = null;
  /** When the stored alarm will wake the actor (null: none set, or it has just fired). */
  #alarmSetFor: number | null = null;
  readonly #writeBehind: SeatWriteBehind;
  #connection: Pick<DatabaseConnection, 'db' | 'close'> | undefined;
  readonly #settleDueWork: ActorDueWork;
  readonly #openDatabase: ActorDatabase;
  /** The seat map and the live snapshot message of the state they were made from (one per version). */
  #mapOf: { state: ScreeningSeats; map: SeatMap } | undefined;
  #snapshotOf: { state: ScreeningSeats; live: number; message: string } | undefined;
  /**
   * The live sockets as getWebSockets() lists them, kept from one broadcast to the next (a list of
   * its own per change would be thousands of new wrappers each time in a big sale); a socket that
   * opens is added, and one that closes or fails drops the list, which is made again when needed.
   */
  #sockets: WebSocket[] | undefined;
  /** The seats each of the last RECENT_BATCHES batches changed, oldest first. */
  #recent: { version: number; seatIds: string[] }[] = [];
  /** The live map's version (what clients were last sent; seat maps show it) and the state's at it. */
  #live: Published = { live: 0, at: 0 };
  /** Changes committed since the last live batch, and when the first of them was. */
  #pending: { changes: SeatChange[]; committedAt: number } | undefined;
  #tick: ReturnType<typeof setTimeout> | undefined;
  /** No live batch goes out before then unless a seat map is read (LIVE_TICK_MS after the last). */
  #quietUntil = 0;
  readonly #decide: Reducer;

  constructor(
    ctx: DurableObjectState,
    env: Cloudflare.Env,
    settleDueWork: ActorDueWork,
    openDatabase: ActorDatabase,
  ) {
    super(ctx, env);
    this.#settleDueWork = settleDueWork;
    this.#openDatabase = openDatabase;
    this.#settings = readSettings(env as unknown as Record<string, unknown>);
    this.#decide = reducerWith({ ...HOLD_RULES, cooldownMs: this.#settings.HOLD_COOLDOWN_SECONDS * 1000 });
    this.#storage = new ActorStorage(ctx.storage.sql);
    this.#writeBehind = new SeatWriteBehind(
      (work) => this.#withDb(work),
      (work) => ctx.waitUntil(work),
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    void ctx.blockConcurrencyWhile(async () => {
      const stored = this.#storage.load();
      if (stored) {
        this.#screening = { state: stored.state, layout: stored.layout };
        // Changes committed after the last batch sent were never sent (the actor stopped in the
        // tick): the next batch skips a version, and its watchers read the map again.
        const { live, at } = stored.published;
        this.#live = { live: at < stored.state.version ? live + 1 : live, at: stored.state.version };
      }
      this.#alarmAt = await ctx.storage.getAlarm();
      this.#alarmSetFor = this.#alarmAt;
      if (this.#screening) this.#writeBehind.loaded(this.#screening.state);
    });
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
    if (!(await this.#ready(screeningId))) return NOT_FOUND;
    const holdToken = crypto.randomUUID();
    const decision = this.#apply(command(holdToken, this.#settings.HOLD_TTL_SECONDS * 1000));
    if (!decision.ok) return decision;
    this.#writeBehind.holder(screeningId, memberId); // written behind, within DELAY_MS
    return { ok: true, value: this.#holdView(this.#state(), holdToken) };
  }

  /** A hold, answered with what changed since `knownVersion` (the front's seat view, see coordinator.ts). */
  async holdSeen(
    screeningId: string,
    memberId: string,
    seatIds: readonly string[],
    knownVersion: number,
  ): Promise<{ result: SeatResult<HoldView>; seen: SeatsSeenSince | null }> {
    const result = await this.hold(screeningId, memberId, seatIds);
    return { result, seen: this.#screening ? this.#seenSince(knownVersion) : null };
  }

  async release(
    screeningId: string,
    memberId: string,
    holdToken: string,
    undo = false,
  ): Promise<SeatResult<null>> {
    return this.#run(screeningId, {
      type: 'release',
      memberId,
      holdToken,
      ...(undo ? { cooldown: false } : {}),
    });
  }

  async extend(screeningId: string, memberId: string, holdToken: string): Promise<SeatResult<HoldView>> {
    if (!(await this.#ready(screeningId))) return NOT_FOUND;
    const ttlMs = this.#settings.HOLD_TTL_SECONDS * 1000;
    const maxMs = this.#settings.HOLD_MAX_SECONDS * 1000;
    const decision = this.#apply({ type: 'extend', memberId, holdToken, ttlMs, maxMs });
    return decision.ok ? { ok: true, value: this.#holdView(this.#state(), holdToken) } : decision;
  }

  async configure(screeningId: string, config: ScreeningConfig): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'configure', ...config });
  }

  async startPayment(
    screeningId: string,
    memberId: string,
    holdToken: string,
    paymentKey?: string,
  ): Promise<SeatResult<HoldView>> {
    if (!(await this.#ready(screeningId))) return NOT_FOUND;
    const paymentDeadlineMs = this.#settings.PAYMENT_TIMEOUT_SECONDS * 1000;
    const decision = this.#apply({
      type: 'startPayment',
      memberId,
      holdToken,
      paymentDeadlineMs,
      ...(paymentKey === undefined ? {} : { paymentKey }),
    });
    return decision.ok ? { ok: true, value: this.#holdView(this.#state(), holdToken) } : decision;
  }

  async finishPayment(
    screeningId: string,
    holdToken: string,
    reservationNo: string,
  ): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'confirmPayment', holdToken, reservationNo });
  }

  async failPayment(screeningId: string, holdToken: string): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'failPayment', holdToken });
  }

  async cancel(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>> {
    const refundDeadlineMs = this.#settings.REFUND_RETRY_SECONDS * 1000; // retried by the alarm unless done first
    return this.#run(screeningId, { type: 'cancelReservation', reservationNo, seatIds, refundDeadlineMs });
  }

  async refundDone(screeningId: string, reservationNo: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'refundDone', reservationNo, seatIds });
  }

  async block(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'block', seatIds });
  }

  async unblock(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'unblock', seatIds });
  }

  async disable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'disable', seatIds });
  }

  async enable(screeningId: string, seatIds: string[]): Promise<SeatResult<null>> {
    return this.#run(screeningId, { type: 'enable', seatIds });
  }

  async snapshot(screeningId: string): Promise<SeatResult<SeatMap>> {
    const screening = await this.#ready(screeningId);
    if (!screening) return NOT_FOUND;
    this.#apply({ type: 'expire' }); // a hold past its TTL is shown free even if the alarm is late
    this.#flush(); // the map's version covers every change it shows
    const state = this.#state();
    if (this.#mapOf?.state !== state || this.#mapOf.map.version !== this.#live.live)
      this.#mapOf = { state, map: { ...seatMapOf(screening.layout, state), version: this.#live.live } };
    return { ok: true, value: this.#mapOf.map };
  }

  async holdsOf(screeningId: string, memberId: string): Promise<HoldView[]> {
    const screening = await this.#ready(screeningId);
    if (!screening) return [];
    return holdsOf(screening.state, memberId, Date.now()).map((hold) => ({
      holdToken: hold.holdToken,
      screeningId,
      seatIds: [...hold.seatIds],
      expiresAt: iso(hold.expiresAt),
    }));
  }

  /**
   * Forgets a finished screening: storage, alarm and sockets, after what waits to be written behind
   * is written. A later call rebuilds from Postgres.
   */
  async purge(): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) socket.close(1001, 'screening finished');
    this.#sockets = undefined;
    clearTimeout(this.#tick);
    this.#pending = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#screening = undefined;
    this.#available = undefined;
    this.#recent = [];
    this.#mapOf = undefined;
    this.#snapshotOf = undefined;
    this.#alarmAt = null;
    // What waits to be written behind goes first: closing the connection under a write in flight
    // would lose it (and the driver would send on a closed socket).
    await this.#writeBehind.settled();
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close().catch(() => {});
  }

  /** Answers without loading any screening: used by /health on an object of its own. */
  async health(): Promise<boolean> {
    return true;
  }

  /** The live seat map: a hibernatable WebSocket that gets the snapshot, then every batch. */
  override async fetch(request: Request): Promise<Response> {
    const screeningId = request.headers.get(SCREENING_HEADER) ?? '';
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    if (!(await this.#ready(screeningId))) return new Response('no such screening', { status: 404 });
    // Sockets are tagged with their client's address, so one address cannot hold more than its share.
    const tag = `ip:${request.headers.get(CLIENT_HEADER) ?? 'unknown'}`.slice(0, 256);
    if (this.ctx.getWebSockets(tag).length >= this.#settings.LIVE_SOCKETS_PER_IP_PER_SCREENING) {
      return new Response('too many live sockets from this address', { status: 429 });
    }
    this.#apply({ type: 'expire' });
    this.#flush(); // before this socket is added: its first message is the snapshot, which covers them
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [tag]);
    this.#sockets?.push(server);
    const state = this.#state();
    if (this.#snapshotOf?.state !== state || this.#snapshotOf.live !== this.#live.live) {
      const { seats } = snapshot(state);
      this.#snapshotOf = {
        state,
        live: this.#live.live,
        message: JSON.stringify({ type: 'snapshot', version: this.#live.live, seats }),
      };
    }
    server.send(this.#snapshotOf.message); // serialized once per version, however many sockets open
    const requestId = request.headers.get('x-request-id');
    const headers = requestId ? { 'x-request-id': requestId } : undefined;
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /** Clients only ever get answers: nothing they send changes a seat, and a big message ends the socket. */
  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    const size = typeof message === 'string' ? message.length : message.byteLength;
    if (size > LIVE_MESSAGE_MAX_BYTES) {
      this.#sockets = undefined;
      ws.close(1009, 'message too big');
      return;
    }
    if (typeof message !== 'string') return;
    try {
      if ((JSON.parse(message) as { type?: unknown }).type === 'ping') ws.send('{"type":"pong"}');
    } catch {
      // not JSON: ignored
    }
  }

  override webSocketError(): void {
    this.#sockets = undefined;
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.#sockets = undefined;
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'bye');
    } catch {
      // already closed
    }
  }

  /**
   * Expiry, payment settlement and refund retries. Alarms are at-least-once and retried, so this only
   * applies what is due at `now`, and settling is idempotent. Work that fails is retried after a pause.
   */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#alarmSetFor = null; // this one has fired
    if (!this.#screening) return;
    this.#apply({ type: 'expire' });
    const now = Date.now();
    const payments = duePayments(this.#state(), now);
    const refunds = dueRefunds(this.#state(), now);
    if (payments.length > 0 || refunds.length > 0) {
      const screeningId = this.#state().screeningId;
      await this.#withDb((db) => this.#settleDueWork(screeningId, { payments, refunds }, db, this)).catch(
        (error: unknown) => log('error', 'settlement failed; retrying', { error: causeChain(error) }),
      );
    }
    this.#arm(nextDeadline(this.#state()));
  }

  async #ready(screeningId: string): Promise<StoredScreening | undefined> {
    if (this.#screening)
      return this.#screening.state.screeningId === screeningId ? this.#screening : undefined;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.#screening) return;
      const record = await this.#withDb((db) => loadScreeningSeats(db, screeningId)).catch(
        (error: unknown) => {
          log('error', 'screening actor could not load from Postgres', {
            screeningId,
            error: causeChain(error),
          });
          throw error;
        },
      );
      if (!record) return;
      const state = screeningSeatsOf(record);
      const stored = { state, layout: record.layout };
      this.#storage.create(stored);
      this.#screening = stored;
      this.#live = { live: state.version, at: state.version };
      this.#arm(nextDeadline(state));
    });
    const loaded = this.#screening as StoredScreening | undefined; // set inside the callback above
    return loaded?.state.screeningId === screeningId ? loaded : undefined;
  }

  async #run(screeningId: string, command: SeatCommand): Promise<SeatResult<null>> {
    if (!(await this.#ready(screeningId))) return NOT_FOUND;
    const decision = this.#apply(command);
    return decision.ok ? { ok: true, value: null } : decision;
  }

  /** The one place seats change: decide, persist, send to the live sockets, re-arm. No await in here. */
  #apply(command: SeatCommand): Decision {
    const screening = this.#screening;
    if (!screening) throw new Error('actor used before it was loaded');
    const before = screening.state;
    const decision = this.#decide(before, command, Date.now());
    if (!decision.ok) return decision;
    if (decision.version !== before.version) {
      this.#storage.save(decision.version, decision.written);
      this.#available =
        (this.#available ?? countAvailableByStatus(before)) + availableChange(before, decision.written.seats);
      // The actor is the only holder of its state: the decision is written into it, not copied.
      const state = adopt(before, decision);
      screening.state = state;
      this.#recent.push({ version: state.version, seatIds: decision.events.map((event) => event.seatId) });
      if (this.#recent.length > RECENT_BATCHES) this.#recent.shift();
      this.#send(decision.events);
      this.#writeBehind.counts(state.screeningId, this.#available, state.version);
    }
    this.#arm(decision.deadline);
    return decision;
  }

  #seenSince(knownVersion: number): SeatsSeenSince {
    const state = this.#state();
    const oldest = this.#recent[0]?.version ?? state.version + 1;
    const full = knownVersion < 0 || knownVersion + 1 < oldest || knownVersion > state.version;
    const seatIds = full
      ? Object.keys(state.seats)
      : [
          ...new Set(
            this.#recent.filter((batch) => batch.version > knownVersion).flatMap((batch) => batch.seatIds),
          ),
        ];
    return {
      version: state.version,
      salesOpenAt: state.salesOpenAt,
      startTime: state.startTime,
      full,
      seats: seatIds.map((seatId) => [seatId, takenUntil(state, seatId)]),
    };
  }

  /**
   * Changes go out at once after a quiet spell, else with the others of the tick (LIVE_TICK_MS). A
   * new version without seat changes (an extension, a configuration) is sent too, as ever.
   */
  #send(changes: readonly SeatChange[]): void {
    if (this.#pending) {
      this.#pending.changes.push(...changes);
      return;
    }
    const now = Date.now();
    this.#pending = { changes: [...changes], committedAt: now };
    if (now >= this.#quietUntil) this.#flush();
    else this.#tick = setTimeout(() => this.#flush(), this.#quietUntil - now);
  }

  /** Sends the waiting changes as the live map's next version. */
  #flush(): void {
    const pending = this.#pending;
    if (!pending) return;
    clearTimeout(this.#tick);
    this.#pending = undefined;
    this.#live = { live: this.#live.live + 1, at: this.#state().version };
    this.#storage.published(this.#live);
    this.#broadcast(this.#live.live, pending.changes, pending.committedAt);
    this.#quietUntil = Date.now() + LIVE_TICK_MS;
  }

  #broadcast(version: number, changes: readonly SeatChange[], committedAt: number): void {
    // Serialized once for every socket; committedAt: when the batch's first change was committed.
    const message = JSON.stringify({ type: 'seats', version, changes, committedAt });
    this.#sockets ??= this.ctx.getWebSockets();
    for (const socket of this.#sockets) {
      try {
        socket.send(message);
      } catch {
        // a socket closing right now; its close handler tidies up
      }
    }
  }

  /**
   * One alarm, at the earliest deadline; a deadline already past is retried after a pause. An alarm
   * already due sooner is never pushed later: a deadline that has just passed would otherwise move
   * the alarm RETRY_MS ahead on every request (each computes a new "now"), and a screening with
   * steady traffic would never settle its payments. An alarm that wakes early re-arms itself.
   */
  #arm(deadline: number | null): void {
    const now = Date.now();
    const at = deadline === null ? null : Math.max(deadline, now - 1);
    if (at === this.#alarmAt) return;
    if (at === null) {
      this.#alarmAt = null;
      this.#alarmSetFor = null;
      void this.ctx.storage.deleteAlarm();
      return;
    }
    const wake = at <= now ? now + RETRY_MS : at;
    this.#alarmAt = at;
    if (this.#alarmSetFor !== null && this.#alarmSetFor <= wake) return;
    this.#alarmSetFor = wake;
    void this.ctx.storage.setAlarm(wake);
  }

  #state(): ScreeningSeats {
    if (!this.#screening) throw new Error('actor used before it was loaded');
    return this.#screening.state;
  }

  #holdView(state: ScreeningSeats, holdToken: string): HoldView {
    const hold = state.holds[holdToken];
    if (!hold) throw new Error('hold vanished right after it was made');
    return {
      holdToken,
      screeningId: state.screeningId,
      seatIds: [...hold.seatIds],
      expiresAt: iso(hold.expiresAt),
    };
  }

  /**
   * The actor's one Postgres connection, kept while work keeps coming (a sale writes behind every
   * few milliseconds, and a connection per batch would cost a handshake each) and closed after a
   * second idle, so a quiet actor holds no socket and can be evicted.
   */
  async #withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
    this.#connection ??= this.#openDatabase(1, IDLE_CONNECTION_MS);
    return work(this.#connection.db);
  }
}
