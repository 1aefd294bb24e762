// What best available costs the coordinator (issue 17, Measure): the pure reducer command alone, on
// a 200-seat and a 2,000-seat screening, empty and two thirds held at random. Reports the time per
// command (on whatever else the machine is doing: compare the two sizes within one run) and the
// seat look-ups of the choice, a count that does not depend on load, beside a hold of 4 named seats
// (whose cost is the reducer's copy of the seat map, which every command pays).
// Run: npx node bench/best-available-cost.ts
import {
  chooseBest,
  createScreeningSeats,
  decide,
  rowsOf,
  type ScreeningSeats,
  type SeatPlace,
} from '../src/domain/seats/index.ts';
import { seededRandom } from './flow.ts';

function hall(rows: number, width: number, heldShare: number): ScreeningSeats {
  const random = seededRandom(7);
  const layout: SeatPlace[] = [];
  for (let r = 0; r < rows; r += 1)
    for (let n = 1; n <= width; n += 1)
      layout.push({
        seatId: `${r}-${n}`,
        rowLabel: `R${String(r).padStart(2, '0')}`,
        seatNo: n,
        type: 'STANDARD',
      });
  const built = createScreeningSeats({
    screeningId: 'bench',
    salesOpenAt: 0,
    startTime: Date.now() + 86_400_000,
    seats: layout.map((seat) => ({
      seatId: seat.seatId,
      status: random() < heldShare ? ('BLOCKED' as const) : ('AVAILABLE' as const),
    })),
    singleSeatGaps: 'PREVENT',
    layout,
  });
  if (!built.ok) throw new Error('bad hall');
  return built.state;
}

const rounds = 300;
const timed = (run: () => void) => {
  for (let i = 0; i < 20; i += 1) run(); // warm up
  const start = performance.now();
  for (let i = 0; i < rounds; i += 1) run();
  return ((performance.now() - start) / rounds) * 1000;
};

for (const [label, rows, width] of [
  ['200 seats (10 rows of 20)', 10, 20],
  ['2,000 seats (40 rows of 50)', 40, 50],
] as const) {
  for (const held of [0, 0.66]) {
    const state = hall(rows, width, held);
    const layout = state.layout ?? [];
    let lookups = 0;
    chooseBest(
      {
        rows: rowsOf(layout),
        entryOf: (id) => {
          lookups += 1;
          return state.seats[id];
        },
        memberId: 'm',
        now: Date.now(),
        gaps: 'PREVENT',
      },
      { count: 4 },
    );
    const best = {
      type: 'holdBest',
      memberId: 'm',
      holdToken: 't',
      ttlMs: 300_000,
      best: { count: 4 },
    } as const;
    const free = layout.filter((seat) => state.seats[seat.seatId]?.status === 'AVAILABLE').slice(0, 4);
    const named = {
      type: 'hold',
      memberId: 'm',
      holdToken: 't',
      ttlMs: 300_000,
      seatIds: free.map((s) => s.seatId),
    } as const;
    const bestMicros = timed(() => decide(state, best, Date.now()));
    const namedMicros = timed(() => decide(state, named, Date.now()));
    console.log(
      `${label}, ${Math.round(held * 100)}% taken: best-of-4 ${bestMicros.toFixed(0)} µs (${lookups} seat look-ups), 4 named seats ${namedMicros.toFixed(0)} µs`,
    );
  }
}
