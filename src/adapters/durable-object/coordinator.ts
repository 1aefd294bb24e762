// The seat coordinator port on Workers: each call goes to the screening's actor by RPC. The caller
// has already confirmed in Postgres that the screening exists, so junk ids never create objects.
// One actor per screening owns its seats: there is no second writer, so no commit fence (commitFenced).
// Each isolate keeps a view of every screening it holds seats of, brought up to date by every hold
// answer (the seats changed since the version it knew); a hold whose every seat that view, at most
// SEEN_MAX_AGE_MS old, shows taken is refused here without a call. Only the actor says yes.
// Seat maps are read from the actor at most once per SEEN_MAX_AGE_MS per isolate (a sale's readers
// would otherwise send it more requests than its holds do); a change this isolate asks for forgets
// that screening's map, so a client sees its own hold at once.
import { AppError } from '../../domain/errors.ts';
import { refusedAsSeen, type SeatsSeen } from '../../domain/seats/index.ts';
import { log } from '../../log.ts';
import type { SeatCoordinator, SeatMap } from '../../ports/seat-coordinator.ts';
import {
  CLIENT_HEADER,
  SCREENING_HEADER,
  type ScreeningActorBase,
  type SeatsSeenSince,
} from './screening-actor.ts';

/** How old an isolate's view of a screening's seats (or its seat map) may be and still be used. */
export const SEEN_MAX_AGE_MS = 250;
/** Screenings whose view an isolate keeps (the least recently learnt one goes first). */
const MAX_VIEWS = 1_000;

/** One screening's seats as this isolate last heard of them from its actor. */
class SeatView implements SeatsSeen {
  version = -1;
  salesOpenAt = 0;
  startTime = 0;
  learntAt = Number.NEGATIVE_INFINITY;
  /** seatId → until when it is taken (0: free; null: until further notice). */
  readonly #until = new Map<string, number | null>();

  taken(seatId: string, now: number): boolean {
    const until = this.#until.get(seatId);
    return until === null || (until !== undefined && until > now);
  }

  learn(seen: SeatsSeenSince, now: number): void {
    // Answers may arrive out of order: one older than the view changes nothing.
    if (!seen.full && seen.version < this.version) return;
    if (seen.full) this.#until.clear();
    for (const [seatId, until] of seen.seats) this.#until.set(seatId, until);
    this.version = seen.version;
    this.salesOpenAt = seen.salesOpenAt;
    this.startTime = seen.startTime;
    this.learntAt = now;
  }
}

/** Sets `key` as the newest entry of `map`; the oldest goes when MAX_VIEWS are kept. */
function keepNewest<V>(map: Map<string, V>, key: string, value: V): void {
  if (!map.delete(key) && map.size >= MAX_VIEWS) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/** How soon a client refused a live socket may try again (another of its sockets must close first). */
const LIVE_SOCKET_RETRY_SECONDS = 10;

/** The actor's RPC surface: it `implements SeatCoordinator`, so these are the port's signatures. */
type ActorRpc = SeatCoordinator &
  Pick<ScreeningActorBase, 'holdSeen'> & { fetch(request: Request): Promise<Response> };

export class DurableObjectSeatCoordinator implements SeatCoordinator {
  readonly #actors: DurableObjectNamespace<ScreeningActorBase>;
  readonly #now: () => number;
  readonly #views = new Map<string, SeatView>();
  /**
   * Changes this isolate asked for that may free seats (releases, payments, cancels, admin), by
   * screening: a view learnt from an answer sent before the latest of them refuses nothing.
   */
  readonly #writes = new Map<string, number>();
  /** Seat maps read from the actors, by screening (the most recently read last). */
  readonly #maps = new Map<string, { map: SeatMap; readAt: number }>();
  /** Every change this isolate asked for, by screening: a map read while one was on its way is not kept. */
  readonly #changes = new Map<string, number>();

  constructor(actors: DurableObjectNamespace<ScreeningActorBase>, now: () => number = Date.now) {
    this.#actors = actors;
    this.#now = now;
  }

  hold: SeatCoordinator['hold'] = async (id, memberId, seatIds) => {
    const view = this.#views.get(id);
    if (view && this.#now() - view.learntAt <= SEEN_MAX_AGE_MS) {
      const refused = refusedAsSeen(view, seatIds, this.#now());
      if (refused) return { ok: false, error: refused };
    }
    const writes = this.#writes.get(id) ?? 0;
    const { result, seen } = await this.#change(id, (actor) =>
      actor.holdSeen(id, memberId, seatIds, view?.version ?? -1),
    );
    if (seen) this.#learn(id, seen, writes === (this.#writes.get(id) ?? 0));
    return result;
  };
  release: SeatCoordinator['release'] = (id, ...args) =>
    this.#write(id, (actor) => actor.release(id, ...args));
  holdBest: SeatCoordinator['holdBest'] = (id, ...args) =>
    this.#change(id, (actor) => actor.holdBest(id, ...args));
  extend: SeatCoordinator['extend'] = (id, ...args) => this.#change(id, (actor) => actor.extend(id, ...args));
  configure: SeatCoordinator['configure'] = (id, ...args) =>
    this.#write(id, (actor) => actor.configure(id, ...args));
  startPayment: SeatCoordinator['startPayment'] = (id, ...args) =>
    this.#write(id, (actor) => actor.startPayment(id, ...args));
  finishPayment: SeatCoordinator['finishPayment'] = (id, ...args) =>
    this.#write(id, (actor) => actor.finishPayment(id, ...args));
  failPayment: SeatCoordinator['failPayment'] = (id, ...args) =>
    this.#write(id, (actor) => actor.failPayment(id, ...args));
  cancel: SeatCoordinator['cancel'] = (id, ...args) => this.#write(id, (actor) => actor.cancel(id, ...args));
  refundDone: SeatCoordinator['refundDone'] = (id, ...args) =>
    this.#write(id, (actor) => actor.refundDone(id, ...args));
  block: SeatCoordinator['block'] = (id, ...args) => this.#write(id, (actor) => actor.block(id, ...args));
  unblock: SeatCoordinator['unblock'] = (id, ...args) =>
    this.#write(id, (actor) => actor.unblock(id, ...args));
  disable: SeatCoordinator['disable'] = (id, ...args) =>
    this.#write(id, (actor) => actor.disable(id, ...args));
  enable: SeatCoordinator['enable'] = (id, ...args) => this.#write(id, (actor) => actor.enable(id, ...args));
  snapshot: SeatCoordinator['snapshot'] = async (id) => {
    const known = this.#maps.get(id);
    if (known && this.#now() - known.readAt <= SEEN_MAX_AGE_MS) return { ok: true, value: known.map };
    const changes = this.#changes.get(id) ?? 0;
    const readAt = this.#now();
    const result = await this.#call(id, (actor) => actor.snapshot(id));
    if (result.ok && changes === (this.#changes.get(id) ?? 0))
      keepNewest(this.#maps, id, { map: result.value, readAt }); // kept in the order read
    return result;
  };
  holdsOf: SeatCoordinator['holdsOf'] = (id, memberId) =>
    this.#call(id, (actor) => actor.holdsOf(id, memberId));

  health: SeatCoordinator['health'] = async () => {
    try {
      return await this.#stub('health').health();
    } catch {
      return false;
    }
  };

  /**
   * Hands a WebSocket upgrade to the actor, which accepts it with the hibernation API unless the
   * client's address already has its share of the screening's sockets (then 429 RATE_LIMITED).
   */
  async live(screeningId: string, request: Request, clientIp: string, requestId?: string): Promise<Response> {
    const headers = new Headers(request.headers);
    headers.set(SCREENING_HEADER, screeningId);
    headers.set(CLIENT_HEADER, clientIp);
    // The actor puts it on its 101 answer, whose headers nobody can touch afterwards.
    if (requestId) headers.set('x-request-id', requestId);
    else headers.delete('x-request-id');
    const response = await this.#stub(screeningId).fetch(new Request(request, { headers }));
    if (response.status === 429) {
      throw new AppError('RATE_LIMITED', 'too many live seat maps open from this address', {
        retryAfter: LIVE_SOCKET_RETRY_SECONDS,
      });
    }
    return response;
  }

  /** A change that may free seats: this isolate's view of them refuses nothing until it learns again. */
  #write<T>(screeningId: string, call: (actor: ActorRpc) => Promise<T>): Promise<T> {
    this.#writes.set(screeningId, (this.#writes.get(screeningId) ?? 0) + 1);
    const view = this.#views.get(screeningId);
    if (view) view.learntAt = Number.NEGATIVE_INFINITY;
    return this.#change(screeningId, call).finally(() => {
      if (this.#writes.size > MAX_VIEWS) this.#writes.clear();
    });
  }

  /** Any change: the screening's seat map is read again, and none read while it is on its way is kept. */
  #change<T>(screeningId: string, call: (actor: ActorRpc) => Promise<T>): Promise<T> {
    const forget = () => {
      this.#changes.set(screeningId, (this.#changes.get(screeningId) ?? 0) + 1);
      this.#maps.delete(screeningId);
      if (this.#changes.size > MAX_VIEWS) this.#changes.clear();
    };
    forget();
    return this.#call(screeningId, call).finally(forget);
  }

  /** `current`: no change of this isolate's was asked for while the answer was on its way. */
  #learn(screeningId: string, seen: SeatsSeenSince, current: boolean): void {
    const view = this.#views.get(screeningId) ?? new SeatView();
    keepNewest(this.#views, screeningId, view); // kept in the order learnt
    view.learn(seen, current ? this.#now() : Number.NEGATIVE_INFINITY);
  }

  #stub(screeningId: string): ActorRpc {
    return this.#actors.get(this.#actors.idFromName(screeningId)) as unknown as ActorRpc;
  }

  async #call<T>(screeningId: string, call: (actor: ActorRpc) => Promise<T>): Promise<T> {
    try {
      return await call(this.#stub(screeningId));
    } catch (error) {
      log('error', 'screening actor call failed', { screeningId, error: String(error) });
      throw new AppError('SERVICE_UNAVAILABLE', 'seat service is temporarily unavailable; try again');
    }
  }
}
