// The waiting-room store's behaviour, written once against the port. The Durable Object
// (test/worker/waiting-room-store.test.ts) and Redis (test/node/redis-waiting-room.test.ts) run it.
// The room follows the setup each call carries, so a test opens the sale by moving salesOpenAt to
// now instead of waiting for it; with 1 admission a minute only the first slot falls during a test.
import { describe, expect, it } from 'vitest';
import type { RoomCall, WaitingRoomStore } from '../../src/ports/waiting-room.ts';

export interface WaitingRoomHarness {
  store(): WaitingRoomStore;
}

const HOUR = 3_600_000;

function callFor(screeningId: string, salesOpenAt: number, admitPerMinute = 1): RoomCall {
  return { screeningId, setup: { salesOpenAt, admitPerMinute }, forgetAt: Date.now() + 24 * HOUR };
}

const members = (count: number) => Array.from({ length: count }, () => crypto.randomUUID());

export function waitingRoomContract(name: string, harness: WaitingRoomHarness): void {
  describe(`waiting room store contract: ${name}`, () => {
    it('gives a member one ticket per screening, places in arrival order before the draw', async () => {
      const store = harness.store();
      const call = callFor(crypto.randomUUID(), Date.now() + HOUR);
      const [alice, bob] = members(2);
      const first = await store.join(call, alice!);
      const second = await store.join(call, bob!);
      expect(first).toMatchObject({ created: true, ticket: { memberId: alice, place: 1, admittedAt: null } });
      expect(second.ticket.place).toBe(2);
      expect(second.room).toMatchObject({ drawn: false, joined: 2, admitted: 0 });
      const again = await store.join(call, alice!);
      expect(again.created).toBe(false);
      expect(again.ticket.ticketId).toBe(first.ticket.ticketId);
      expect(again.room.joined).toBe(2);
    });

    it('gives a member one ticket even when the same member joins many times at once', async () => {
      const store = harness.store();
      const call = callFor(crypto.randomUUID(), Date.now() + HOUR);
      const [alice] = members(1);
      const joins = await Promise.all(Array.from({ length: 8 }, () => store.join(call, alice!)));
      expect(new Set(joins.map((joined) => joined.ticket.ticketId)).size).toBe(1);
      expect(joins.filter((joined) => joined.created)).toHaveLength(1);
      expect((await store.room(call))?.joined).toBe(1);
    });

    it('draws at the opening: early joiners get places 1..n in some order, later ones queue behind in arrival order', async () => {
      const store = harness.store();
      const screeningId = crypto.randomUUID();
      const early = members(30);
      const before = callFor(screeningId, Date.now() + HOUR);
      const tickets = [];
      for (const member of early) tickets.push((await store.join(before, member)).ticket.ticketId);
      const open = callFor(screeningId, Date.now() - 1);
      const late = members(3);
      const lateTickets = [];
      for (const member of late) lateTickets.push((await store.join(open, member)).ticket);
      expect(lateTickets.map((ticket) => ticket.place)).toEqual([31, 32, 33]);
      const places = [];
      for (const ticketId of tickets) {
        const { ticket } = await store.ticket(open, ticketId);
        places.push(ticket!.place);
      }
      expect([...places].sort((a, b) => a - b)).toEqual(early.map((_, i) => i + 1));
      expect(places).not.toEqual(early.map((_, i) => i + 1)); // 1 chance in 30! to stay in order
      const room = await store.room(open);
      expect(room).toMatchObject({ drawn: true, joined: 33, admitted: 1 });
    });

    it('admits the first place at the opening, and only it at 1 a minute', async () => {
      const store = harness.store();
      const screeningId = crypto.randomUUID();
      const before = callFor(screeningId, Date.now() + HOUR);
      const ids = [];
      for (const member of members(5)) ids.push((await store.join(before, member)).ticket.ticketId);
      const open = callFor(screeningId, Date.now() - 1);
      const tickets = await Promise.all(ids.map(async (id) => (await store.ticket(open, id)).ticket!));
      const admitted = tickets.filter((ticket) => ticket.admittedAt !== null);
      expect(admitted).toHaveLength(1);
      expect(admitted[0]!.place).toBe(1);
      expect(admitted[0]!.admittedAt).toBeGreaterThanOrEqual(open.setup.salesOpenAt);
      expect(await store.room(open)).toMatchObject({ admitted: 1, joined: 5 });
    });

    it('takes a new rate with the next call', async () => {
      const store = harness.store();
      const screeningId = crypto.randomUUID();
      const before = callFor(screeningId, Date.now() + HOUR);
      for (const member of members(40)) await store.join(before, member);
      const opened = Date.now() - 1;
      expect((await store.room(callFor(screeningId, opened, 1)))?.admitted).toBe(1);
      // 100,000 a minute is one every 0.6 ms: within a few ms of wall time more have fallen.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const faster = await store.room(callFor(screeningId, opened, 100_000));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const later = await store.room(callFor(screeningId, opened, 100_000));
      expect(faster?.admitPerMinute).toBe(100_000);
      expect(later!.admitted).toBeGreaterThan(1);
      expect(later!.admitted).toBeLessThanOrEqual(40);
    });

    it('admits a later arrival to an open room with nobody ahead at once', async () => {
      const store = harness.store();
      const call = callFor(crypto.randomUUID(), Date.now() - 1, 60);
      const joined = await store.join(call, crypto.randomUUID());
      expect(joined.ticket.admittedAt).not.toBeNull();
      expect(joined.room).toMatchObject({ drawn: true, joined: 1, admitted: 1 });
    });

    it('knows no ticket it did not give, and no room nobody joined', async () => {
      const store = harness.store();
      const call = callFor(crypto.randomUUID(), Date.now() + HOUR);
      expect(await store.room(call)).toBeNull();
      await store.join(call, crypto.randomUUID());
      expect((await store.ticket(call, crypto.randomUUID())).ticket).toBeNull();
    });
  });
}
