// One Durable Object per screening's queue (not the seat actor: a crowd polling its place never
// queues behind holds). Tickets live in SQLite; every call and the alarm first apply what the
// domain says is due (the draw at the opening, the admission slots that have fallen), synchronously,
// so nothing interleaves between reading and writing. The alarm keeps admitting while people wait.
import { DurableObject } from 'cloudflare:workers';
import {
  advance,
  drawOrder,
  newRoom,
  type RoomState,
  reconfigure,
  type Ticket,
} from '../../domain/queue/index.ts';
import type { Joined, RoomCall } from '../../ports/waiting-room.ts';

type TicketRow = { ticket_id: string; member_id: string; place: number; admitted_at: number | null };

const ticketOf = (row: TicketRow): Ticket => ({
  ticketId: row.ticket_id,
  memberId: row.member_id,
  place: row.place,
  admittedAt: row.admitted_at,
});

export class QueueRoom extends DurableObject<Cloudflare.Env> {
  readonly #sql: SqlStorage;
  #room: RoomState | null;
  #forgetAt = 0;
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS room (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, forget_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS tickets (ticket_id TEXT PRIMARY KEY, member_id TEXT NOT NULL UNIQUE,
        place INTEGER NOT NULL, admitted_at INTEGER);
      CREATE INDEX IF NOT EXISTS tickets_place ON tickets (place);`);
    const row = this.#sql
      .exec<{ state: string; forget_at: number }>('SELECT state, forget_at FROM room')
      .toArray()[0];
    this.#room = row ? (JSON.parse(row.state) as RoomState) : null;
    this.#forgetAt = row?.forget_at ?? 0;
  }

  join(call: RoomCall, memberId: string): Joined {
    const room = this.#step(call, true) as RoomState;
    const existing = this.#sql
      .exec<TicketRow>('SELECT * FROM tickets WHERE member_id = ?', memberId)
      .toArray()[0];
    if (existing) return { room, ticket: ticketOf(existing), created: false };
    const ticket: Ticket = {
      ticketId: crypto.randomUUID(),
      memberId,
      place: room.joined + 1,
      admittedAt: null,
    };
    this.#sql.exec(
      'INSERT INTO tickets (ticket_id, member_id, place) VALUES (?, ?, ?)',
      ticket.ticketId,
      memberId,
      ticket.place,
    );
    this.#save({ ...room, joined: ticket.place });
    // A ticket joining an open room with nobody ahead may be due at once.
    const now = this.#step(call, false) as RoomState;
    const stored = this.#sql
      .exec<TicketRow>('SELECT * FROM tickets WHERE ticket_id = ?', ticket.ticketId)
      .one();
    return { room: now, ticket: ticketOf(stored), created: true };
  }

  ticket(call: RoomCall, ticketId: string): { room: RoomState; ticket: Ticket | null } {
    const room = this.#step(call, true) as RoomState;
    const row = this.#sql.exec<TicketRow>('SELECT * FROM tickets WHERE ticket_id = ?', ticketId).toArray()[0];
    return { room, ticket: row ? ticketOf(row) : null };
  }

  room(call: RoomCall): RoomState | null {
    return this.#room ? this.#step(call, false) : null;
  }

  /** Admission slots, and the draw if the alarm is the first thing to run after the opening. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    if (!this.#room) return;
    if (Date.now() >= this.#forgetAt) {
      await this.ctx.storage.deleteAll();
      this.#room = null;
      return;
    }
    this.#apply(this.#room);
  }

  /** Follows the setup, then applies what is due now. Creates the room when `create`. */
  #step(call: RoomCall, create: boolean): RoomState | null {
    if (!this.#room && !create) return null;
    const now = Date.now();
    this.#forgetAt = call.forgetAt;
    const room = this.#room ? reconfigure(this.#room, call.setup, now) : newRoom(call.setup);
    return this.#apply(room, now);
  }

  #apply(room: RoomState, now = Date.now()): RoomState {
    const step = advance(room, now);
    if (step.draw && room.joined > 0) {
      const order = drawOrder(room.joined);
      const rows = this.#sql
        .exec<{ ticket_id: string; place: number }>(
          'SELECT ticket_id, place FROM tickets WHERE place <= ?',
          room.joined,
        )
        .toArray();
      for (const row of rows) {
        this.#sql.exec(
          'UPDATE tickets SET place = ? WHERE ticket_id = ?',
          (order[row.place - 1] as number) + 1,
          row.ticket_id,
        );
      }
    }
    if (step.admit > 0) {
      this.#sql.exec(
        'UPDATE tickets SET admitted_at = ? WHERE place > ? AND place <= ?',
        now,
        room.admitted,
        room.admitted + step.admit,
      );
    }
    this.#save(step.next);
    const wakeAt = step.wakeAt ?? this.#forgetAt;
    if (wakeAt !== this.#alarmAt) {
      this.#alarmAt = wakeAt;
      void this.ctx.storage.setAlarm(wakeAt);
    }
    return step.next;
  }

  #save(room: RoomState): void {
    if (this.#room === room) return;
    this.#room = room;
    this.#sql.exec(
      'INSERT INTO room (id, state, forget_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, forget_at = excluded.forget_at',
      JSON.stringify(room),
      this.#forgetAt,
    );
  }
}
