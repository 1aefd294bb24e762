// A screening's rows as the gap rule and best-available read them (API.md, Single-seat gaps), and
// the gap rule itself. Pure; the row index of a layout is built once and kept while the layout lives.
import type { SeatPlace } from './screening-seats.ts';

export interface SeatRow {
  /** 0 = the first row of the layout (nearest the screen). */
  readonly index: number;
  /** seatNo → seat id. */
  readonly byNo: ReadonlyMap<number, string>;
  /** Seat numbers, ascending. */
  readonly numbers: readonly number[];
}

export interface SeatRows {
  readonly rows: readonly SeatRow[];
  readonly placeOf: ReadonlyMap<
    string,
    { readonly row: SeatRow; readonly seatNo: number; readonly type: string }
  >;
}

const built = new WeakMap<readonly SeatPlace[], SeatRows>();

/** The layout's rows in layout order (the order rows first appear), each seat numbered in it. */
export function rowsOf(layout: readonly SeatPlace[]): SeatRows {
  const known = built.get(layout);
  if (known) return known;
  const byLabel = new Map<string, { index: number; byNo: Map<number, string> }>();
  const placeOf = new Map<string, { row: SeatRow; seatNo: number; type: string }>();
  for (const seat of layout) {
    let row = byLabel.get(seat.rowLabel);
    if (!row) {
      row = { index: byLabel.size, byNo: new Map() };
      byLabel.set(seat.rowLabel, row);
    }
    row.byNo.set(seat.seatNo, seat.seatId);
  }
  const rows: SeatRow[] = [...byLabel.values()].map(({ index, byNo }) => ({
    index,
    byNo,
    numbers: [...byNo.keys()].sort((a, b) => a - b),
  }));
  for (const seat of layout) {
    const row = rows[byLabel.get(seat.rowLabel)?.index ?? 0] as SeatRow;
    placeOf.set(seat.seatId, { row, seatNo: seat.seatNo, type: seat.type });
  }
  const result = { rows, placeOf };
  built.set(layout, result);
  return result;
}

/**
 * The seats that taking `taking` would leave alone: AVAILABLE, not taken, and with no AVAILABLE
 * neighbour left on either side (a missing neighbour is the end of the row). Only neighbours of
 * taken seats can become alone, and each had a taken (so AVAILABLE) neighbour before, so every seat
 * listed is a new gap. In layout order.
 */
export function gapsLeftBy(
  rows: SeatRows,
  isAvailable: (seatId: string) => boolean,
  taking: readonly string[],
): string[] {
  const taken = new Set(taking);
  const free = (row: SeatRow, seatNo: number): boolean => {
    const id = row.byNo.get(seatNo);
    return id !== undefined && !taken.has(id) && isAvailable(id);
  };
  const gaps = new Set<string>();
  for (const seatId of taking) {
    const place = rows.placeOf.get(seatId);
    if (!place) continue;
    for (const side of [-1, 1]) {
      const no = place.seatNo + side;
      const neighbour = place.row.byNo.get(no);
      if (neighbour === undefined || !free(place.row, no)) continue;
      if (!free(place.row, no - 1) && !free(place.row, no + 1)) gaps.add(neighbour);
    }
  }
  if (gaps.size <= 1) return [...gaps];
  const order = (id: string) => {
    const place = rows.placeOf.get(id);
    return place ? place.row.index * 1e6 + place.seatNo : 0;
  };
  return [...gaps].sort((a, b) => order(a) - order(b));
}
