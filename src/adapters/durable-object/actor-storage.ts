// The actor's own SQLite: the seat state it serves from memory, written through synchronously after
// every committed decision (SqlStorage.exec does not await, so nothing interleaves with it).
import type { Hold, ScreeningSeats, SeatEntry } from '../../domain/seats/index.ts';
import type { SeatLayout } from '../db/seat-repository.ts';

export interface StoredScreening {
  state: ScreeningSeats;
  layout: SeatLayout[];
}

export class ActorStorage {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#ensureTables();
  }

  /** Also after a purge (deleteAll drops the tables). */
  #ensureTables(): void {
    this.#sql.exec(`
      create table if not exists meta (key text primary key, value text not null);
      create table if not exists layout (seat_id text primary key, row_label text not null, seat_no integer not null,
        type text not null, price integer not null);
      create table if not exists seats (seat_id text primary key, entry text not null);
      create table if not exists holds (token text primary key, hold text not null);
    `);
  }

  load(): StoredScreening | undefined {
    const meta = new Map(
      this.#sql
        .exec<{ key: string; value: string }>('select key, value from meta')
        .toArray()
        .map((row) => [row.key, row.value]),
    );
    const screeningId = meta.get('screening_id');
    if (!screeningId) return undefined;
    const seats = Object.fromEntries(
      this.#sql
        .exec<{ seat_id: string; entry: string }>('select seat_id, entry from seats')
        .toArray()
        .map((row) => [row.seat_id, JSON.parse(row.entry) as SeatEntry]),
    );
    const holds = Object.fromEntries(
      this.#sql
        .exec<{ token: string; hold: string }>('select token, hold from holds')
        .toArray()
        .map((row) => [row.token, JSON.parse(row.hold) as Hold]),
    );
    const layout = this.#sql
      .exec<{ seat_id: string; row_label: string; seat_no: number; type: string; price: number }>(
        'select * from layout order by row_label, seat_no',
      )
      .toArray()
      .map((row) => ({
        seatId: row.seat_id,
        rowLabel: row.row_label,
        seatNo: row.seat_no,
        type: row.type,
        price: row.price,
      }));
    const gaps = meta.get('single_seat_gaps');
    const prices = meta.get('prices');
    return {
      layout,
      state: {
        screeningId,
        version: Number(meta.get('version') ?? 0),
        salesOpenAt: Number(meta.get('sales_open_at')),
        startTime: Number(meta.get('start_time')),
        seats,
        holds,
        ...(gaps === 'PREVENT' || gaps === 'ALLOW' ? { singleSeatGaps: gaps } : {}),
        ...(prices ? { prices: JSON.parse(prices) as Record<string, number> } : {}),
        layout,
      },
    };
  }

  /** Stores a freshly built screening whole. */
  create({ state, layout }: StoredScreening): void {
    this.#ensureTables();
    this.#sql.exec('delete from meta; delete from layout; delete from seats; delete from holds;');
    for (const seat of layout) {
      this.#sql.exec(
        'insert into layout (seat_id, row_label, seat_no, type, price) values (?, ?, ?, ?, ?)',
        seat.seatId,
        seat.rowLabel,
        seat.seatNo,
        seat.type,
        seat.price,
      );
    }
    this.#setMeta('screening_id', state.screeningId);
    this.#setMeta('start_time', String(state.startTime));
    this.save({ ...state, seats: {}, holds: {}, salesOpenAt: Number.NaN, prices: {} }, state);
  }

  /** Writes what differs between two states; the reducer keeps unchanged entries identical. */
  save(before: ScreeningSeats, after: ScreeningSeats): void {
    for (const [seatId, entry] of Object.entries(after.seats)) {
      if (before.seats[seatId] !== entry) {
        this.#sql.exec(
          'insert or replace into seats (seat_id, entry) values (?, ?)',
          seatId,
          JSON.stringify(entry),
        );
      }
    }
    for (const [token, hold] of Object.entries(after.holds)) {
      if (before.holds[token] !== hold) {
        this.#sql.exec(
          'insert or replace into holds (token, hold) values (?, ?)',
          token,
          JSON.stringify(hold),
        );
      }
    }
    for (const token of Object.keys(before.holds)) {
      if (!Object.hasOwn(after.holds, token)) this.#sql.exec('delete from holds where token = ?', token);
    }
    if (before.version !== after.version) this.#setMeta('version', String(after.version));
    // The admin's configuration (PATCH): rare, written only when it changed.
    if (before.salesOpenAt !== after.salesOpenAt) this.#setMeta('sales_open_at', String(after.salesOpenAt));
    if (before.singleSeatGaps !== after.singleSeatGaps) {
      this.#setMeta('single_seat_gaps', after.singleSeatGaps ?? 'ALLOW');
    }
    if (before.prices !== after.prices) this.#setMeta('prices', JSON.stringify(after.prices ?? {}));
  }

  #setMeta(key: string, value: string): void {
    this.#sql.exec('insert or replace into meta (key, value) values (?, ?)', key, value);
  }
}
