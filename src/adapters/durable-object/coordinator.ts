// The seat coordinator port on Workers: each call goes to the screening's actor by RPC. The caller
// has already confirmed in Postgres that the screening exists, so junk ids never create objects.
// One actor per screening owns its seats: there is no second writer, so no commit fence (runFenced).
import { AppError } from '../../domain/errors.ts';
import { log } from '../../log.ts';
import type { SeatCoordinator } from '../../ports/seat-coordinator.ts';
import { CLIENT_HEADER, SCREENING_HEADER, type ScreeningActorBase } from './screening-actor.ts';

/** How soon a client refused a live socket may try again (another of its sockets must close first). */
const LIVE_SOCKET_RETRY_SECONDS = 10;

/** The actor's RPC surface: it `implements SeatCoordinator`, so these are the port's signatures. */
type ActorRpc = SeatCoordinator & { fetch(request: Request): Promise<Response> };

export class DurableObjectSeatCoordinator implements SeatCoordinator {
  readonly #actors: DurableObjectNamespace<ScreeningActorBase>;

  constructor(actors: DurableObjectNamespace<ScreeningActorBase>) {
    this.#actors = actors;
  }

  hold: SeatCoordinator['hold'] = (id, ...args) => this.#call(id, (actor) => actor.hold(id, ...args));
  holdBest: SeatCoordinator['holdBest'] = (id, ...args) =>
    this.#call(id, (actor) => actor.holdBest(id, ...args));
  release: SeatCoordinator['release'] = (id, ...args) =>
    this.#call(id, (actor) => actor.release(id, ...args));
  extend: SeatCoordinator['extend'] = (id, ...args) => this.#call(id, (actor) => actor.extend(id, ...args));
  configure: SeatCoordinator['configure'] = (id, ...args) =>
    this.#call(id, (actor) => actor.configure(id, ...args));
  startPayment: SeatCoordinator['startPayment'] = (id, ...args) =>
    this.#call(id, (actor) => actor.startPayment(id, ...args));
  finishPayment: SeatCoordinator['finishPayment'] = (id, ...args) =>
    this.#call(id, (actor) => actor.finishPayment(id, ...args));
  failPayment: SeatCoordinator['failPayment'] = (id, ...args) =>
    this.#call(id, (actor) => actor.failPayment(id, ...args));
  cancel: SeatCoordinator['cancel'] = (id, ...args) => this.#call(id, (actor) => actor.cancel(id, ...args));
  refundDone: SeatCoordinator['refundDone'] = (id, ...args) =>
    this.#call(id, (actor) => actor.refundDone(id, ...args));
  block: SeatCoordinator['block'] = (id, ...args) => this.#call(id, (actor) => actor.block(id, ...args));
  unblock: SeatCoordinator['unblock'] = (id, ...args) =>
    this.#call(id, (actor) => actor.unblock(id, ...args));
  disable: SeatCoordinator['disable'] = (id, ...args) =>
    this.#call(id, (actor) => actor.disable(id, ...args));
  enable: SeatCoordinator['enable'] = (id, ...args) => this.#call(id, (actor) => actor.enable(id, ...args));
  snapshot: SeatCoordinator['snapshot'] = (id) => this.#call(id, (actor) => actor.snapshot(id));
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
