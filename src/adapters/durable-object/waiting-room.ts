// The waiting-room port on Workers: each call goes by RPC to the screening's QueueRoom object (a
// namespace of its own, apart from the seat actors). The caller has confirmed the screening in
// Postgres first, so junk ids never create objects.
import { AppError } from '../../domain/errors.ts';
import { log } from '../../log.ts';
import type { RoomCall, WaitingRoomStore } from '../../ports/waiting-room.ts';
import type { QueueRoom } from './queue-room.ts';

type RoomRpc = {
  [K in keyof WaitingRoomStore]: (...args: Parameters<QueueRoom[K]>) => Promise<ReturnType<QueueRoom[K]>>;
};

export class DurableObjectWaitingRoom implements WaitingRoomStore {
  readonly #rooms: DurableObjectNamespace<QueueRoom>;

  constructor(rooms: DurableObjectNamespace<QueueRoom>) {
    this.#rooms = rooms;
  }

  join: WaitingRoomStore['join'] = (call, memberId) => this.#call(call, (room) => room.join(call, memberId));
  ticket: WaitingRoomStore['ticket'] = (call, ticketId) =>
    this.#call(call, (room) => room.ticket(call, ticketId));
  room: WaitingRoomStore['room'] = (call) => this.#call(call, (room) => room.room(call));

  async #call<T>(call: RoomCall, work: (room: RoomRpc) => Promise<T>): Promise<T> {
    const stub = this.#rooms.get(this.#rooms.idFromName(call.screeningId)) as unknown as RoomRpc;
    try {
      return await work(stub);
    } catch (error) {
      log('error', 'queue room call failed', { screeningId: call.screeningId, error: String(error) });
      throw new AppError('SERVICE_UNAVAILABLE', 'the waiting room is temporarily unavailable; try again');
    }
  }
}
