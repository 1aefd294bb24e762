// Best available (API.md, Best available): which seats to hold for `{best:{count, types?, wheelchair?,
// together?}}`. Pure and deterministic; the reducer holds what this picks in the same command.
//
// The score of a candidate block (lower is better), for a layout of R rows (row 0 nearest the screen):
//   row    = |r − t| / max(1, R − 1), with t = (R − 1) · 2/3        (about two thirds of the way back)
//   centre = |c − m| / max(1, (last − first) / 2), c the block's mean seat number, m the row's middle
//   types  = 0.25 · (distinct seat types in the block − 1)
//   score  = 2 · row + centre + types
// Blocks are compared by: leaves no new single-seat gap first (under PREVENT, blocks that would are
// out), then the lowest score, then the front-most row, then the lowest first seat number.
// Cost: one pass over each row with a window of `count` seats, so proportional to the seats.
import { holdableBy } from './member-limits.ts';
import type { SeatEntry, SingleSeatGaps } from './screening-seats.ts';
import type { BestRequest } from './seat-commands.ts';
import { gapsLeftBy, type SeatRow, type SeatRows } from './seat-rows.ts';

export const WHEELCHAIR = 'WHEELCHAIR';
export const DEFAULT_BEST_TYPES = ['STANDARD', 'PREMIUM', 'VIP', 'COUPLE'] as const;

export interface BestInput {
  readonly rows: SeatRows;
  readonly entryOf: (seatId: string) => SeatEntry | undefined;
  readonly memberId: string;
  readonly now: number;
  readonly gaps: SingleSeatGaps;
}

interface Candidate {
  readonly seatIds: string[];
  readonly gap: boolean;
  readonly score: number;
  readonly row: number;
  readonly first: number;
}

/** The seats to hold, or null when nothing fits. Work grows with the seats, never with combinations. */
export function chooseBest(input: BestInput, request: BestRequest): string[] | null {
  const { rows, entryOf, memberId, now } = input;
  const count = request.count;
  const wheelchair = request.wheelchair ?? 0;
  const types = new Set(request.types ?? DEFAULT_BEST_TYPES);
  const wheelchairAllowed = types.has(WHEELCHAIR);
  const typeOf = (seatId: string) => rows.placeOf.get(seatId)?.type ?? '';
  const holdable = (seatId: string) => holdableBy(entryOf(seatId), memberId, now);
  const fits = (seatId: string) => {
    const type = typeOf(seatId);
    return holdable(seatId) && (types.has(type) || (wheelchair > 0 && type === WHEELCHAIR));
  };
  const isAvailable = (seatId: string) => entryOf(seatId)?.status === 'AVAILABLE';
  const rowCount = rows.rows.length;
  const target = ((rowCount - 1) * 2) / 3;
  const rowCost = (row: SeatRow) => Math.abs(row.index - target) / Math.max(1, rowCount - 1);
  const centreCost = (row: SeatRow, centre: number) => {
    const first = row.numbers[0] ?? 0;
    const last = row.numbers[row.numbers.length - 1] ?? 0;
    return Math.abs(centre - (first + last) / 2) / Math.max(1, (last - first) / 2);
  };

  /** Every run of `size` consecutive seat numbers in a row whose seats all pass `ok`. */
  const blocks = (size: number, ok: (seatId: string) => boolean, accept: (seatIds: string[]) => boolean) => {
    let best: Candidate | null = null;
    for (const row of rows.rows) {
      let run: string[] = [];
      let previous = Number.NaN;
      for (const no of row.numbers) {
        const seatId = row.byNo.get(no) as string;
        if (!ok(seatId)) {
          run = [];
          previous = Number.NaN;
          continue;
        }
        if (no !== previous + 1) run = [];
        run.push(seatId);
        previous = no;
        if (run.length > size) run.shift();
        if (run.length < size || !accept(run)) continue;
        const first = no - size + 1;
        const candidate: Candidate = {
          seatIds: [...run],
          gap: gapsLeftBy(rows, isAvailable, run).length > 0,
          score:
            2 * rowCost(row) + centreCost(row, (first + no) / 2) + 0.25 * (new Set(run.map(typeOf)).size - 1),
          row: row.index,
          first,
        };
        if (candidate.gap && input.gaps === 'PREVENT') continue;
        if (!best || better(candidate, best)) best = candidate;
      }
    }
    return best;
  };

  const wheelchairsIn = (seatIds: readonly string[]) =>
    seatIds.filter((id) => typeOf(id) === WHEELCHAIR).length;
  const together = blocks(count, fits, (run) => {
    const w = wheelchairsIn(run);
    return wheelchairAllowed ? w >= wheelchair : w === wheelchair;
  });
  if (together) return together.seatIds;
  if (wheelchair === 0 && request.together !== false) return null;

  // Apart: the wheelchair seats together (if asked), then the nearest other seats one by one.
  let anchor: Candidate | null = null;
  if (wheelchair > 0) {
    anchor = blocks(
      wheelchair,
      (id) => holdable(id) && typeOf(id) === WHEELCHAIR,
      () => true,
    );
    if (!anchor) return null;
  }
  const chosen = anchor ? [...anchor.seatIds] : [];
  const taken = new Set(chosen);
  const anchorRow = anchor ? rows.placeOf.get(anchor.seatIds[0] as string)?.row : undefined;
  const anchorCentre = anchor ? anchor.first + (wheelchair - 1) / 2 : 0;
  const ranked: { seatId: string; key: number[] }[] = [];
  for (const row of rows.rows) {
    for (const no of row.numbers) {
      const seatId = row.byNo.get(no) as string;
      if (taken.has(seatId) || !holdable(seatId) || !types.has(typeOf(seatId))) continue;
      const key = anchorRow
        ? [Math.abs(row.index - anchorRow.index), Math.abs(no - anchorCentre), row.index, no]
        : [2 * rowCost(row) + centreCost(row, no), row.index, no];
      ranked.push({ seatId, key });
    }
  }
  ranked.sort((a, b) => compareKeys(a.key, b.key));
  for (const { seatId } of ranked) {
    if (chosen.length === count) break;
    chosen.push(seatId);
  }
  if (chosen.length < count) return null;
  if (input.gaps === 'PREVENT' && gapsLeftBy(rows, isAvailable, chosen).length > 0) return null;
  return chosen;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.gap !== b.gap) return !a.gap;
  if (a.score !== b.score) return a.score < b.score;
  if (a.row !== b.row) return a.row < b.row;
  return a.first < b.first;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
