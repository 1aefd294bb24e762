// The actor's own SQLite: the seat state it serves from memory, written through synchronously after
// every committed decision (SqlStorage.exec does not await, so nothing interleaves with it): the rows
// the decision wrote, and nothing else; and the live version clients were last sent, with the state's
// version it was sent at.
import type { Hold, ScreeningSeats, SeatEntry, Written } from '../../domain/seats/index.ts';
import type { SeatLayout } from '../db/seat-repository.ts';

export interface StoredScreening {
  state: ScreeningSeats;
  layout: SeatLayout[];
}

/** The live version clients were last sent (`live`), and the state's version it showed (`at`). */
export interface Published {
  live: number;
  at: number;
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

  load(): (StoredScreening & { published: Published }) | undefined {
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
    const version = Number(meta.get('version') ?? 0);
    return {
      // Stored before the live version was (every version was sent as it came): the state's own.
      published: {
        live: Number(meta.get('live_version') ?? version),
        at: Number(meta.get('live_version_at') ?? version),
      },
      layout,
      state: {
        screeningId,
        version,
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
    this.published({ live: state.version, at: state.version });
    this.save(state.version, {
      seats: new Map(Object.entries(state.seats)),
      holds: new Map(Object.entries(state.holds)),
      config: {
        salesOpenAt: state.salesOpenAt,
        singleSeatGaps: state.singleSeatGaps ?? 'ALLOW',
        prices: state.prices ?? {},
      },
    });
  }

  /** Writes what one decision wrote (its seats, its holds, any configuration) and its version. */
  save(version: number, written: Written): void {
    for (const [seatId, entry] of written.seats) {
      if (entry === undefined) this.#sql.exec('delete from seats where seat_id = ?', seatId);
      else
        this.#sql.exec(
          'insert or replace into seats (seat_id, entry) values (?, ?)',
          seatId,
          JSON.stringify(entry),
        );
    }
    for (const [token, hold] of written.holds) {
      if (hold === undefined) this.#sql.exec('delete from holds where token = ?', token);
      else
        this.#sql.exec(
          'insert or replace into holds (token, hold) values (?, ?)',
          token,
          JSON.stringify(hold),
        );
    }
    this.#setMeta('version', String(version));
    // The admin's configuration (PATCH): rare, written only when a command set it.
    const config = written.config;
    if (config?.salesOpenAt !== undefined) this.#setMeta('sales_open_at', String(config.salesOpenAt));
    if (config?.singleSeatGaps !== undefined) this.#setMeta('single_seat_gaps', config.singleSeatGaps);
    if (config?.prices !== undefined) this.#setMeta('prices', JSON.stringify(config.prices));
  }

  /** A live batch was sent. */
  published({ live, at }: Published): void {
    this.#setMeta('live_version', String(live));
    this.#setMeta('live_version_at', String(at));
  }

  #setMeta(key: string, value: string): void {
    this.#sql.exec('insert or replace into meta (key, value) values (?, ?)', key, value);
  }
}
