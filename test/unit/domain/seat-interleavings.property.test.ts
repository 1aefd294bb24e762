// Concurrent holds and payment starts against the pure reducer, in every order fc.scheduler tries.
import { createScreeningSeats, decide, type ScreeningSeats } from '../../../src/domain/seats/index.ts';
import type { HoldView, SeatResult } from '../../../src/ports/seat-coordinator.ts';
import {
  type InterleavingHarness,
  type RacingSeats,
  seatInterleavingSuite,
} from '../../contract/seat-interleavings.ts';
import { NOW, PAY, SALES_OPEN, START, TTL } from './seat-fixtures.ts';

/** A coordinator that is nothing but the reducer over one in-memory state. */
const reducerHarness: InterleavingHarness = {
  async start(count) {
    const seatIds = Array.from({ length: count }, (_, i) => `S${i + 1}`);
    const created = createScreeningSeats({
      screeningId: 'scr-race',
      salesOpenAt: SALES_OPEN,
      startTime: START,
      seats: seatIds.map((seatId) => ({ seatId, status: 'AVAILABLE' as const })),
    });
    if (!created.ok) throw new Error('bad fixture');
    let state: ScreeningSeats = created.state;
    const versions: number[] = [];
    let tokens = 0;
    const view = (holdToken: string, expiresAt: number): HoldView => {
      const hold = state.holds[holdToken]!;
      return {
        holdToken,
        screeningId: state.screeningId,
        seatIds: [...hold.seatIds],
        expiresAt: new Date(expiresAt).toISOString(),
      };
    };
    const apply = (command: Parameters<typeof decide>[1], holdToken: string): SeatResult<HoldView> => {
      const decision = decide(state, command, NOW);
      if (!decision.ok) return { ok: false, error: decision.error };
      state = decision.state;
      if (decision.events.length > 0) versions.push(state.version);
      return { ok: true, value: view(holdToken, state.holds[holdToken]!.expiresAt) };
    };
    const seats: RacingSeats = {
      hold: async (_, memberId, ids) => {
        const holdToken = `t${tokens++}`;
        return apply({ type: 'hold', memberId, seatIds: ids, holdToken, ttlMs: TTL }, holdToken);
      },
      startPayment: async (_, memberId, holdToken) =>
        apply({ type: 'startPayment', memberId, holdToken, paymentDeadlineMs: PAY }, holdToken),
      snapshot: async () => ({
        ok: true,
        value: {
          screeningId: state.screeningId,
          version: state.version,
          seats: Object.entries(state.seats).map(([seatId, entry]) => ({
            seatId,
            rowLabel: 'S',
            seatNo: 0,
            type: 'STANDARD',
            status: entry.status,
            price: 0,
          })),
        },
      }),
    };
    return {
      seats,
      screeningId: 'scr-race',
      seatIds,
      versions: () => versions,
      settle: async () => {},
      versionPerChange: true,
      stop: () => {},
    };
  },
};

seatInterleavingSuite('seat reducer', reducerHarness, { numRuns: 300 });
