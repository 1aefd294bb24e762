// A screening's waiting room, as a pure state machine. Tickets are numbered: joining gives the next
// number (`place`), so later arrivals keep arrival order; the draw at `salesOpenAt` deals the places
// 1..joined of everyone already in the room out again in a random order (lottery.ts). Places stay
// dense, so a ticket's position is its place minus the admitted count, and the admitted tickets are
// exactly places 1..admitted. From `salesOpenAt` the room admits one ticket every 60/admitPerMinute
// seconds; a store runs `advance` on its alarm (or before it answers) and applies what it returns.
// Slots nobody was waiting for are lost, and at most CATCH_UP_MS of late slots are made up, so a
// late alarm or an idle room never turns into more than CATCH_UP_MS worth of admissions at once.

export interface WaitingRoomSettings {
  admitPerMinute: number;
  opensBeforeMinutes: number;
}

export const ADMIT_PER_MINUTE = { min: 1, max: 100_000 } as const;
export const OPENS_BEFORE_MINUTES = { min: 0, max: 1440, default: 30 } as const;
/** Late admission slots older than this are dropped instead of admitted in one go. */
export const CATCH_UP_MS = 1_000;
/** A store need not wake more often than this, however high the rate: it admits a batch. */
export const MIN_STEP_MS = 50;
export const POLL_SECONDS = { min: 1, max: 30 } as const;

/** What the room is configured with, from the screening (Postgres). */
export interface RoomSetup {
  salesOpenAt: number;
  admitPerMinute: number;
}

export interface RoomState {
  salesOpenAt: number;
  admitPerMinute: number;
  /** The draw has run: places are final. */
  drawn: boolean;
  /** Tickets ever given (the highest place). */
  joined: number;
  /** Places 1..admitted are admitted. */
  admitted: number;
  /** When the next admission slot falls. */
  nextSlotAt: number;
}

export interface Ticket {
  ticketId: string;
  memberId: string;
  place: number;
  /** When it was admitted (epoch ms), once it has been. */
  admittedAt: number | null;
}

export type TicketView =
  | {
      ticketId: string;
      status: 'WAITING';
      /** 1 = next to be admitted; null before the draw (everyone present is drawn together). */
      position: number | null;
      estimatedWaitSeconds: number;
      pollAfterSeconds: number;
    }
  | { ticketId: string; status: 'ADMITTED'; admittedUntil: number }
  | { ticketId: string; status: 'EXPIRED'; admittedUntil: number };

export const queueOpensAt = (salesOpenAt: number, opensBeforeMinutes: number) =>
  salesOpenAt - opensBeforeMinutes * 60_000;

export const admitIntervalMs = (admitPerMinute: number) => 60_000 / admitPerMinute;

export function newRoom(setup: RoomSetup): RoomState {
  return { ...setup, drawn: false, joined: 0, admitted: 0, nextSlotAt: setup.salesOpenAt };
}

/**
 * Follows a change of the screening's settings. A new rate counts from now (the next slot comes no
 * later than one new interval away); a new opening time applies until the draw has run.
 */
export function reconfigure(room: RoomState, setup: RoomSetup, now: number): RoomState {
  let next = room;
  if (!room.drawn && setup.salesOpenAt !== room.salesOpenAt) {
    next = { ...next, salesOpenAt: setup.salesOpenAt, nextSlotAt: setup.salesOpenAt };
  }
  if (setup.admitPerMinute !== room.admitPerMinute) {
    const soonest = Math.max(now, next.salesOpenAt) + admitIntervalMs(setup.admitPerMinute);
    next = {
      ...next,
      admitPerMinute: setup.admitPerMinute,
      nextSlotAt: Math.min(next.nextSlotAt, soonest),
    };
  }
  return next;
}

export interface RoomStep {
  /** Run the draw over places 1..room.joined first. */
  draw: boolean;
  /** Admit the next `admit` places (room.admitted + 1 ..), at `now`. */
  admit: number;
  next: RoomState;
  /** When to run the next step, or null when nobody waits (a join wakes the room). */
  wakeAt: number | null;
}

/** What is due at `now`: the draw once the sale opens, then the admission slots that have fallen. */
export function advance(room: RoomState, now: number): RoomStep {
  if (now < room.salesOpenAt) {
    return { draw: false, admit: 0, next: room, wakeAt: room.salesOpenAt };
  }
  const draw = !room.drawn;
  const interval = admitIntervalMs(room.admitPerMinute);
  const waiting = room.joined - room.admitted;
  let admit = 0;
  let nextSlotAt = room.nextSlotAt;
  if (now >= nextSlotAt) {
    const from = Math.max(nextSlotAt, now - CATCH_UP_MS);
    const due = Math.floor((now - from) / interval) + 1;
    admit = Math.min(due, waiting);
    // Slots with nobody to admit are lost; the next one is free at once for whoever comes next
    // (the catch-up bound keeps a crowd arriving at an idle room from coming in as a burst).
    nextSlotAt = admit === due ? from + due * interval : now;
  }
  const unchanged = !draw && admit === 0 && nextSlotAt === room.nextSlotAt;
  const next = unchanged ? room : { ...room, drawn: true, admitted: room.admitted + admit, nextSlotAt };
  const stillWaiting = waiting - admit;
  const wakeAt = stillWaiting > 0 ? Math.max(nextSlotAt, now + MIN_STEP_MS) : null;
  return { draw, admit, next, wakeAt };
}

/** A member's ticket as its owner sees it at `now` (`room` already advanced to `now`). */
export function ticketView(room: RoomState, ticket: Ticket, now: number, admissionMs: number): TicketView {
  const { ticketId } = ticket;
  if (ticket.admittedAt !== null) {
    const admittedUntil = ticket.admittedAt + admissionMs;
    return { ticketId, status: now < admittedUntil ? 'ADMITTED' : 'EXPIRED', admittedUntil };
  }
  if (!room.drawn) {
    const wait = Math.max(0, room.salesOpenAt - now);
    return { ticketId, status: 'WAITING', position: null, ...waitOf(wait) };
  }
  const position = Math.max(1, ticket.place - room.admitted);
  const interval = admitIntervalMs(room.admitPerMinute);
  const wait = Math.max(0, room.nextSlotAt - now) + (position - 1) * interval;
  return { ticketId, status: 'WAITING', position, ...waitOf(wait) };
}

/**
 * The wait in whole seconds, and when to ask again: about a quarter of the wait, between 1 and 30
 * seconds, so a crowd far back asks rarely and the next in line soon.
 */
function waitOf(waitMs: number) {
  const estimatedWaitSeconds = Math.ceil(waitMs / 1000);
  const pollAfterSeconds = Math.min(
    POLL_SECONDS.max,
    Math.max(POLL_SECONDS.min, Math.ceil(estimatedWaitSeconds / 4)),
  );
  return { estimatedWaitSeconds, pollAfterSeconds };
}

/** The admin's counts. */
export function roomCounts(room: RoomState) {
  return {
    waiting: room.joined - room.admitted,
    admitted: room.admitted,
    admitPerMinute: room.admitPerMinute,
  };
}
