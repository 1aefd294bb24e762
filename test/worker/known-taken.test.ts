// Refusing before the actor: an isolate's view of a screening's seats, learnt from the actor's hold
// answers, refuses a hold whose every seat it shows taken, without calling the actor, for at most
// SEEN_MAX_AGE_MS. Anything else still goes to the actor, the only one that says yes. Seat maps are
// served again for as long, except after a change this isolate asked for.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  DurableObjectSeatCoordinator,
  SEEN_MAX_AGE_MS,
} from '../../src/adapters/durable-object/coordinator.ts';
import { createScreening, fastMembers } from './fixtures.ts';

/**
 * The actor namespace, counting the hold and seat-map calls that reach an actor; a seat map's answer
 * is held back until `mapsAnswered` resolves, if given.
 */
function countingActors(mapsAnswered?: Promise<void>) {
  const actors = env.SCREENING_ACTOR;
  const counted = { holds: 0, maps: 0 };
  const namespace = {
    idFromName: (name: string) => actors.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = actors.get(id) as unknown as Record<string, (...args: unknown[]) => unknown>;
      return new Proxy(stub, {
        get(target, property) {
          if (property === 'snapshot')
            return async (...args: unknown[]) => {
              counted.maps++;
              const answer = await target.snapshot!(...args);
              await mapsAnswered;
              return answer;
            };
          if (property !== 'holdSeen') return Reflect.get(target, property);
          return (...args: unknown[]) => {
            counted.holds++;
            return target.holdSeen!(...args);
          };
        },
      });
    },
  } as unknown as typeof actors;
  return { namespace, counted };
}

describe('the isolate refuses holds of seats it knows are taken', () => {
  it('answers SEAT_NOT_AVAILABLE without calling the actor while its view is fresh, and asks again after', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 6 });
    const [alice, bob] = await fastMembers(2);
    let now = Date.now();
    const { namespace, counted } = countingActors();
    const seats = new DurableObjectSeatCoordinator(namespace, () => now);

    const held = await seats.hold(screeningId, alice!.id, [seatIds[0]!, seatIds[1]!]);
    expect(held.ok).toBe(true);
    expect(counted.holds).toBe(1);

    // Every seat taken, as the isolate saw a moment ago: refused here, as the actor would.
    const refused = await seats.hold(screeningId, bob!.id, [seatIds[1]!, seatIds[0]!]);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [seatIds[1], seatIds[0]] },
    });
    expect(counted.holds).toBe(1);

    // One free seat among them: the actor decides (and names only the taken one).
    const mixed = await seats.hold(screeningId, bob!.id, [seatIds[0]!, seatIds[2]!]);
    expect(mixed).toEqual({
      ok: false,
      error: { code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [seatIds[0]] },
    });
    expect(counted.holds).toBe(2);

    // A view older than SEEN_MAX_AGE_MS refuses nothing by itself: the actor is asked (and says no).
    now += SEEN_MAX_AGE_MS + 1;
    const stale = await seats.hold(screeningId, bob!.id, [seatIds[0]!]);
    expect(stale.ok).toBe(false);
    expect(counted.holds).toBe(3);

    // A release through this isolate: its view refuses nothing until an answer sent after it.
    expect(await seats.hold(screeningId, bob!.id, [seatIds[0]!])).toMatchObject({ ok: false });
    expect(counted.holds).toBe(3); // refreshed by the previous answer
    if (!held.ok) throw new Error('fixture');
    expect((await seats.release(screeningId, alice!.id, held.value.holdToken)).ok).toBe(true);
    expect((await seats.hold(screeningId, bob!.id, [seatIds[0]!])).ok).toBe(true);
    expect(counted.holds).toBe(4);
  });

  it('learns from other isolates’ holds through the answers, and lets a released seat be held at once', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 4 });
    const [alice, bob] = await fastMembers(2);
    const now = Date.now();
    const mine = countingActors();
    const elsewhere = new DurableObjectSeatCoordinator(env.SCREENING_ACTOR);
    const seats = new DurableObjectSeatCoordinator(mine.namespace, () => now);

    expect((await seats.hold(screeningId, bob!.id, [seatIds[3]!])).ok).toBe(true);
    const alices = await elsewhere.hold(screeningId, alice!.id, [seatIds[0]!]);
    if (!alices.ok) throw new Error('fixture');
    // The other isolate's hold reaches this view with this isolate's next answer.
    expect((await seats.hold(screeningId, bob!.id, [seatIds[2]!])).ok).toBe(true);
    expect(mine.counted.holds).toBe(2);
    expect(await seats.hold(screeningId, bob!.id, [seatIds[0]!])).toMatchObject({ ok: false });
    expect(mine.counted.holds).toBe(2);

    // Released elsewhere: this view does not know yet, but a view is only ever a "no" for seats it
    // saw taken, and a mixed or stale request still reaches the actor.
    expect((await elsewhere.release(screeningId, alice!.id, alices.value.holdToken)).ok).toBe(true);
    const again = await seats.hold(screeningId, bob!.id, [seatIds[0]!, seatIds[1]!]);
    expect(again.ok).toBe(true);
    expect(mine.counted.holds).toBe(3);
  });
});

describe('the isolate serves the seat map it read a moment ago', () => {
  const statusOf = (result: Awaited<ReturnType<DurableObjectSeatCoordinator['snapshot']>>, seatId: string) =>
    result.ok ? result.value.seats.find((seat) => seat.seatId === seatId)?.status : undefined;

  it('reads the actor again once the map is SEEN_MAX_AGE_MS old, or at once after its own change', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 4 });
    const [alice, bob] = await fastMembers(2);
    let now = Date.now();
    const { namespace, counted } = countingActors();
    const seats = new DurableObjectSeatCoordinator(namespace, () => now);
    const elsewhere = new DurableObjectSeatCoordinator(env.SCREENING_ACTOR);

    const first = await seats.snapshot(screeningId);
    expect(await seats.snapshot(screeningId)).toEqual(first);
    expect(counted.maps).toBe(1);

    // Its own hold: the next map is read from the actor and shows it.
    expect((await seats.hold(screeningId, alice!.id, [seatIds[0]!])).ok).toBe(true);
    expect(statusOf(await seats.snapshot(screeningId), seatIds[0]!)).toBe('HOLD');
    expect(counted.maps).toBe(2);

    // Another isolate's hold shows once this isolate's map is older than SEEN_MAX_AGE_MS.
    expect((await elsewhere.hold(screeningId, bob!.id, [seatIds[1]!])).ok).toBe(true);
    expect(statusOf(await seats.snapshot(screeningId), seatIds[1]!)).toBe('AVAILABLE');
    now += SEEN_MAX_AGE_MS + 1;
    expect(statusOf(await seats.snapshot(screeningId), seatIds[1]!)).toBe('HOLD');
    expect(counted.maps).toBe(3);
  });

  it('keeps no map read while one of its own changes was on its way', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 4 });
    const [alice] = await fastMembers(1);
    const now = Date.now();
    let answer = () => {};
    const { namespace, counted } = countingActors(new Promise<void>((resolve) => (answer = resolve)));
    const seats = new DurableObjectSeatCoordinator(namespace, () => now);

    // The map is asked for before the hold, and its answer arrives after the hold's: whichever the
    // actor saw first, that map is not kept.
    const read = seats.snapshot(screeningId);
    expect(counted.maps).toBe(1);
    expect((await seats.hold(screeningId, alice!.id, [seatIds[2]!])).ok).toBe(true);
    answer();
    expect((await read).ok).toBe(true);
    expect(statusOf(await seats.snapshot(screeningId), seatIds[2]!)).toBe('HOLD');
    expect(counted.maps).toBe(2);
  });
});
