// The waiting-room port: where a screening's queue is kept (a Durable Object per screening's queue
// on Workers, Redis on Deno/Node). A store keeps tickets and the room's state and applies the steps
// the domain (src/domain/queue) decides; it knows no rule of its own. Every call carries the room's
// setup as Postgres has it now, so a changed rate or opening reaches the store with the next call.
import type { RoomSetup, RoomState, Ticket } from '../domain/queue/index.ts';

export interface RoomCall {
  screeningId: string;
  setup: RoomSetup;
  /** When the store may forget the room (epoch ms): after the screening has started. */
  forgetAt: number;
}

export interface Joined {
  room: RoomState;
  ticket: Ticket;
  /** False when the member already had a ticket (it is answered again). */
  created: boolean;
}

export interface WaitingRoomStore {
  /** The member's ticket, made on the first call; the room is advanced to now first. */
  join(call: RoomCall, memberId: string): Promise<Joined>;
  /** A ticket and the room, advanced to now; ticket null when the room has no such ticket. */
  ticket(call: RoomCall, ticketId: string): Promise<{ room: RoomState; ticket: Ticket | null }>;
  /** The room advanced to now; null when nobody has joined yet. */
  room(call: RoomCall): Promise<RoomState | null>;
}
