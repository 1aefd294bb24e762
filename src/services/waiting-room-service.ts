// The waiting room's use cases (API.md, Waiting room): join, look at a ticket, the admin's counts,
// setting the room, and the admission check every hold passes first. The room's rules are in
// src/domain/queue; the store (runtime.waitingRoom) keeps the tickets; admissions leave as signed
// tokens, checked here without calling the store or the seat coordinator.
import { signAdmission, verifyAdmission } from '../adapters/auth/admission-tokens.ts';
import type { Database } from '../adapters/db/client.ts';
import {
  findRoomScreening,
  type RoomScreening,
  updateWaitingRoom,
} from '../adapters/db/waiting-room-repository.ts';
import { AppError } from '../domain/errors.ts';
import {
  queueOpensAt,
  type RoomState,
  roomCounts,
  type Ticket,
  type TicketView,
  ticketView,
  type WaitingRoomSettings,
} from '../domain/queue/index.ts';
import type { RoomCall, WaitingRoomStore } from '../ports/waiting-room.ts';
import { RememberedReads } from './remembered-reads.ts';

/** How long an isolate or process trusts what it read of a screening's room (a new rate waits this long). */
const REMEMBER_MS = 5_000;
const MAX_REMEMBERED = 10_000;
/** The room is forgotten this long after its screening has started. */
const FORGET_AFTER_START_MS = 86_400_000;

export interface RoomDeps {
  db: () => Database;
  store: WaitingRoomStore;
  /** JWT_SECRET: admissions are signed with it, under an audience of their own. */
  secret: string;
  admissionSeconds: number;
}

/** A ticket as the API answers it: the domain's view, with the admission as a signed token. */
export type QueueTicket =
  | Extract<TicketView, { status: 'WAITING' }>
  | { ticketId: string; status: 'ADMITTED' | 'EXPIRED'; admissionToken?: string; admittedUntil: string };

/** The screening's room settings and sale times, read at most every few seconds per screening. */
const remembered = new RememberedReads<RoomScreening | undefined>({
  ttlMs: REMEMBER_MS,
  max: MAX_REMEMBERED,
});

const roomScreening = (db: () => Database, id: string): Promise<RoomScreening | undefined> =>
  remembered.get(id, () => findRoomScreening(db(), id));

/** The screening and its room; 404 without either. */
async function requireRoom(deps: RoomDeps, screeningId: string) {
  const screening = await roomScreening(deps.db, screeningId);
  if (!screening) throw new AppError('NOT_FOUND', 'no such screening');
  const settings = screening.waitingRoom;
  if (!settings) throw new AppError('NOT_FOUND', 'this screening has no waiting room');
  const call: RoomCall = {
    screeningId: screening.id,
    setup: { salesOpenAt: screening.salesOpenAt.getTime(), admitPerMinute: settings.admitPerMinute },
    forgetAt: screening.startTime.getTime() + FORGET_AFTER_START_MS,
  };
  return { screening, settings, call };
}

async function present(deps: RoomDeps, screeningId: string, room: RoomState, ticket: Ticket) {
  const view = ticketView(room, ticket, Date.now(), deps.admissionSeconds * 1000);
  if (view.status === 'WAITING') return view;
  const admittedUntil = new Date(view.admittedUntil).toISOString();
  if (view.status === 'EXPIRED') return { ticketId: view.ticketId, status: view.status, admittedUntil };
  const admission = { memberId: ticket.memberId, screeningId, until: view.admittedUntil };
  const admissionToken = await signAdmission(admission, deps.secret);
  return { ticketId: view.ticketId, status: view.status, admissionToken, admittedUntil };
}

export async function joinQueue(
  deps: RoomDeps,
  screeningId: string,
  memberId: string,
): Promise<{ created: boolean; ticket: QueueTicket }> {
  const { screening, settings, call } = await requireRoom(deps, screeningId);
  const opensAt = queueOpensAt(call.setup.salesOpenAt, settings.opensBeforeMinutes);
  if (Date.now() < opensAt) {
    const at = new Date(opensAt).toISOString();
    throw new AppError('QUEUE_NOT_OPEN', `the waiting room opens at ${at}`, { opensAt: at });
  }
  const joined = await deps.store.join(call, memberId);
  return { created: joined.created, ticket: await present(deps, screening.id, joined.room, joined.ticket) };
}

/**
 * What this isolate or process last heard from a room (at most ROOM_FRESH_MS old) and of tickets
 * whose place is final (drawn): a waiting member's poll is answered from them, so a crowd polling
 * its place costs the store about one call per room per second here, not one per poll.
 */
const ROOM_FRESH_MS = 1_000;
const rooms = new Map<string, { room: RoomState; at: number }>();
const tickets = new Map<string, Ticket>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

async function freshRoom(deps: RoomDeps, call: RoomCall): Promise<RoomState | null> {
  const known = rooms.get(call.screeningId);
  if (known && Date.now() - known.at < ROOM_FRESH_MS) return known.room;
  const room = await deps.store.room(call);
  if (room) remember(rooms, call.screeningId, { room, at: Date.now() });
  return room;
}

/** The owner's ticket, up to date (the position may be a second old); anybody else's (or none) is 404. */
export async function queueTicket(
  deps: RoomDeps,
  screeningId: string,
  ticketId: string,
  memberId: string,
): Promise<QueueTicket> {
  const { screening, call } = await requireRoom(deps, screeningId);
  const known = tickets.get(ticketId);
  if (known) {
    if (known.memberId !== memberId) throw new AppError('NOT_FOUND', 'no such ticket');
    const room = await freshRoom(deps, call);
    if (room && (known.admittedAt !== null || known.place > room.admitted)) {
      return present(deps, screening.id, room, known);
    }
  }
  const { room, ticket } = await deps.store.ticket(call, ticketId);
  if (!ticket || ticket.memberId !== memberId) throw new AppError('NOT_FOUND', 'no such ticket');
  remember(rooms, call.screeningId, { room, at: Date.now() });
  if (room.drawn) remember(tickets, ticketId, ticket);
  return present(deps, screening.id, room, ticket);
}

export async function queueCounts(deps: RoomDeps, screeningId: string) {
  const { settings, call } = await requireRoom(deps, screeningId);
  const room = await deps.store.room(call);
  return room ? roomCounts(room) : { waiting: 0, admitted: 0, admitPerMinute: settings.admitPerMinute };
}

/**
 * While the screening has a waiting room, a hold needs a live admission of this member for this
 * screening: 403 ADMISSION_REQUIRED otherwise. Nothing but Postgres (remembered) and the token is
 * looked at, so a refused hold never reaches the seat coordinator.
 */
export async function requireAdmission(
  db: () => Database,
  secret: string,
  screeningId: string,
  memberId: string,
  token: string | undefined,
): Promise<void> {
  const screening = await roomScreening(db, screeningId);
  if (!screening?.waitingRoom) return;
  const admission = token ? await verifyAdmission(token, secret) : undefined;
  if (admission?.memberId === memberId && admission.screeningId === screeningId) return;
  throw new AppError(
    'ADMISSION_REQUIRED',
    token
      ? 'that admission is not live, or is not yours for this screening: join the waiting room'
      : 'this sale has a waiting room: join it, then hold with the Admission-Token it gives you',
  );
}

/** Sets or (null) removes a screening's room. This isolate sees the change at once, others within seconds. */
export async function setWaitingRoom(
  db: Database,
  screeningId: string,
  waitingRoom: WaitingRoomSettings | null,
): Promise<void> {
  if (!(await updateWaitingRoom(db, screeningId, waitingRoom))) {
    throw new AppError('NOT_FOUND', 'no such screening');
  }
  remembered.forget(screeningId);
}
