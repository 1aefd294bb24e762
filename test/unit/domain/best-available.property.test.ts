// Properties of best available and the gap rule (issue 17), on random halls: what is chosen was
// AVAILABLE, `together` is one unbroken run of one row, PREVENT never gets a new single-seat gap
// while a gap-free block exists (checked by brute force), the choice is deterministic, and the gap
// rule never refuses a hold that leaves no new gap (by the definition of API.md, computed directly).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createScreeningSeats,
  decide,
  type ScreeningSeats,
  type SeatPlace,
} from '../../../src/domain/seats/index.ts';
import { NOW, SALES_OPEN, START, TTL } from './seat-fixtures.ts';

const TYPES = ['STANDARD', 'PREMIUM', 'WHEELCHAIR'] as const;

const hallArb = fc
  .record({
    rows: fc.integer({ min: 1, max: 5 }),
    width: fc.integer({ min: 1, max: 12 }),
    gaps: fc.constantFrom('ALLOW' as const, 'PREVENT' as const),
  })
  .chain(({ rows, width, gaps }) =>
    fc.record({
      rows: fc.constant(rows),
      width: fc.constant(width),
      gaps: fc.constant(gaps),
      free: fc.array(fc.boolean(), { minLength: rows * width, maxLength: rows * width }),
      types: fc.array(fc.constantFrom(...TYPES), { minLength: rows * width, maxLength: rows * width }),
    }),
  );

type Hall = { state: ScreeningSeats; layout: SeatPlace[] };

interface HallSpec {
  rows: number;
  width: number;
  gaps: 'ALLOW' | 'PREVENT';
  free: boolean[];
  types: (typeof TYPES)[number][];
}

function build(h: HallSpec): Hall {
  const layout: SeatPlace[] = [];
  for (let r = 0; r < h.rows; r += 1) {
    for (let n = 1; n <= h.width; n += 1) {
      const i = r * h.width + n - 1;
      layout.push({
        seatId: `${r}-${n}`,
        rowLabel: String.fromCharCode(65 + r),
        seatNo: n,
        type: h.types[i] ?? 'STANDARD',
      });
    }
  }
  const built = createScreeningSeats({
    screeningId: 's',
    salesOpenAt: SALES_OPEN,
    startTime: START,
    seats: layout.map((seat, i) => ({
      seatId: seat.seatId,
      status: h.free[i] ? ('AVAILABLE' as const) : ('BLOCKED' as const),
    })),
    singleSeatGaps: h.gaps,
    layout,
  });
  if (!built.ok) throw new Error('bad hall');
  return { state: built.state, layout };
}

/** API.md's definition, directly: AVAILABLE seats alone after the hold that were not alone before. */
function newGaps(layout: SeatPlace[], available: (id: string) => boolean, taking: string[]): string[] {
  const at = new Map(layout.map((seat) => [`${seat.rowLabel}:${seat.seatNo}`, seat.seatId]));
  const alone = (free: (id: string) => boolean) =>
    new Set(
      layout
        .filter((seat) => free(seat.seatId))
        .filter((seat) =>
          [-1, 1].every((side) => {
            const id = at.get(`${seat.rowLabel}:${seat.seatNo + side}`);
            return id === undefined || !free(id);
          }),
        )
        .map((seat) => seat.seatId),
    );
  const before = alone(available);
  const after = alone((id) => available(id) && !taking.includes(id));
  return [...after].filter((id) => !before.has(id));
}

/** Every together block of `count` seats of `types` that leaves no new gap. */
function gapFreeBlocks(hall: Hall, count: number, types: readonly string[]): string[][] {
  const available = (id: string) => hall.state.seats[id]?.status === 'AVAILABLE';
  const blocks: string[][] = [];
  const byRow = new Map<string, SeatPlace[]>();
  for (const seat of hall.layout) byRow.set(seat.rowLabel, [...(byRow.get(seat.rowLabel) ?? []), seat]);
  for (const seats of byRow.values()) {
    for (let i = 0; i + count <= seats.length; i += 1) {
      const block = seats.slice(i, i + count);
      if (block.every((seat) => available(seat.seatId) && types.includes(seat.type))) {
        const ids = block.map((seat) => seat.seatId);
        if (newGaps(hall.layout, available, ids).length === 0) blocks.push(ids);
      }
    }
  }
  return blocks;
}

const best = (hall: Hall, count: number, together = true) =>
  decide(
    hall.state,
    { type: 'holdBest', memberId: 'm', holdToken: 't', ttlMs: TTL, best: { count, together } },
    NOW,
  );

describe('best available (properties)', () => {
  it('holds only AVAILABLE seats of the allowed types, together in one row, and is deterministic', () => {
    fc.assert(
      fc.property(hallArb, fc.integer({ min: 1, max: 8 }), (h, count) => {
        const hall = build(h);
        const first = best(hall, count);
        expect(best(hall, count)).toEqual(first);
        if (!first.ok) return;
        const chosen = first.state.holds.t?.seatIds ?? [];
        expect(chosen).toHaveLength(count);
        const places = chosen.map((id) => hall.layout.find((seat) => seat.seatId === id) as SeatPlace);
        for (const id of chosen) expect(hall.state.seats[id]?.status).toBe('AVAILABLE');
        for (const place of places) expect(['STANDARD', 'PREMIUM', 'VIP', 'COUPLE']).toContain(place.type);
        expect(new Set(places.map((p) => p.rowLabel)).size).toBe(1);
        const numbers = places.map((p) => p.seatNo).sort((a, b) => a - b);
        expect(numbers.at(-1)! - numbers[0]!).toBe(count - 1);
      }),
      { numRuns: 400 },
    );
  });

  it('never leaves a new single-seat gap while a gap-free block exists, and finds one if there is', () => {
    fc.assert(
      fc.property(hallArb, fc.integer({ min: 1, max: 8 }), (h, count) => {
        const hall = build(h);
        const decision = best(hall, count);
        const gapFree = gapFreeBlocks(hall, count, ['STANDARD', 'PREMIUM', 'VIP', 'COUPLE']);
        if (gapFree.length === 0) {
          if (h.gaps === 'PREVENT') expect(decision.ok).toBe(false);
          return;
        }
        expect(decision.ok).toBe(true);
        if (!decision.ok) return;
        const chosen = decision.state.holds.t?.seatIds ?? [];
        const available = (id: string) => hall.state.seats[id]?.status === 'AVAILABLE';
        expect(newGaps(hall.layout, available, [...chosen])).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('with together: false still holds AVAILABLE seats only, and never a gap under PREVENT', () => {
    fc.assert(
      fc.property(hallArb, fc.integer({ min: 1, max: 8 }), (h, count) => {
        const hall = build(h);
        const decision = best(hall, count, false);
        if (!decision.ok) return;
        const chosen = [...(decision.state.holds.t?.seatIds ?? [])];
        expect(new Set(chosen).size).toBe(count);
        for (const id of chosen) expect(hall.state.seats[id]?.status).toBe('AVAILABLE');
        const available = (id: string) => hall.state.seats[id]?.status === 'AVAILABLE';
        if (h.gaps === 'PREVENT') expect(newGaps(hall.layout, available, chosen)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the gap rule (property)', () => {
  it('never refuses a hold that leaves no new gap, and refuses every one that does under PREVENT', () => {
    fc.assert(
      fc.property(hallArb, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (h, picks) => {
        const hall = build({ ...h, gaps: 'PREVENT' });
        const free = hall.layout.filter((seat) => hall.state.seats[seat.seatId]?.status === 'AVAILABLE');
        if (free.length === 0) return;
        const seatIds = [...new Set(picks.map((i) => (free[i % free.length] as SeatPlace).seatId))];
        const decision = decide(
          hall.state,
          { type: 'hold', memberId: 'm', seatIds, holdToken: 't', ttlMs: TTL },
          NOW,
        );
        const available = (id: string) => hall.state.seats[id]?.status === 'AVAILABLE';
        const gaps = newGaps(hall.layout, available, seatIds);
        if (gaps.length === 0) expect(decision.ok).toBe(true);
        else
          expect(decision.ok ? null : decision.error).toEqual({
            code: 'SINGLE_SEAT_GAP',
            gapSeatIds: expect.arrayContaining(gaps),
          });
      }),
      { numRuns: 500 },
    );
  });
});
