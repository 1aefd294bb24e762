// The ScreeningActor itself: its one alarm, eviction, and what live clients see (batches by tick).
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ScreeningActorBase } from '../../src/adapters/durable-object/screening-actor.ts';
import { createScreening, fastMembers, watch } from './fixtures.ts';
import { api } from './helpers.ts';

const actorOf = (screeningId: string) =>
  env.SCREENING_ACTOR.get(
    env.SCREENING_ACTOR.idFromName(screeningId),
  ) as DurableObjectStub<ScreeningActorBase>;
const hold = (screeningId: string, token: string, seatIds: string[]) =>
  api(`/api/screenings/${screeningId}/holds`, { method: 'POST', token, body: { seatIds } });

describe('screening actor', () => {
  it('keeps one alarm, at the earliest hold expiry', async () => {
    const { screeningId, seatIds } = await createScreening();
    const [alice, bob] = await fastMembers(2);
    const first = await hold(screeningId, alice!.token, [seatIds[0]!]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await hold(screeningId, bob!.token, [seatIds[1]!]);
    const alarm = await runInDurableObject(actorOf(screeningId), (_, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(first.body.expiresAt));
  });

  it('rebuilds the same state after it is torn down, holds and blocks included', async () => {
    const { screeningId, seatIds } = await createScreening();
    const [alice] = await fastMembers(1);
    await hold(screeningId, alice!.token, [seatIds[0]!, seatIds[1]!]);
    await actorOf(screeningId).block(screeningId, [seatIds[5]!]);
    const before = (await api(`/api/screenings/${screeningId}/seats`)).body;
    // abort() drops the instance and its memory, keeping storage: what eviction or a crash does.
    await runInDurableObject(actorOf(screeningId), (_, state) => state.abort('test eviction')).catch(
      () => {},
    );
    const after = (await api(`/api/screenings/${screeningId}/seats`)).body;
    expect(after).toEqual(before);
    expect(after.seats.filter((seat: any) => seat.status === 'HOLD')).toHaveLength(2);
    expect(after.seats.find((seat: any) => seat.seatId === seatIds[5])?.status).toBe('BLOCKED');
    const more = await hold(screeningId, alice!.token, [seatIds[0]!]);
    expect([more.status, more.body.code]).toEqual([409, 'SEAT_NOT_AVAILABLE']);
  });

  it('keeps live sockets across eviction: a woken actor still pushes to them', async () => {
    const { screeningId, seatIds } = await createScreening();
    const [alice] = await fastMembers(1);
    await api(`/api/screenings/${screeningId}/seats`); // cold start from Postgres
    // A fresh instance that reads only its own storage holds no Postgres socket, so it can be evicted.
    await runInDurableObject(actorOf(screeningId), (_, state) => state.abort('fresh instance')).catch(
      () => {},
    );
    const live = await watch(screeningId);
    await expect.poll(() => live.messages.length).toBe(1);
    await evictDurableObject(actorOf(screeningId));
    await hold(screeningId, alice!.token, [seatIds[2]!]);
    await expect
      .poll(() => live.messages.at(-1))
      .toEqual({
        type: 'seats',
        version: live.messages[0].version + 1,
        changes: [{ seatId: seatIds[2], status: 'HOLD' }],
        committedAt: expect.any(Number),
      });
    live.close();
  });

  describe('live ticks', () => {
    /** Holds of one seat each by new members, all asked in one turn of the actor. */
    const holdAtOnce = (screeningId: string, seatIds: string[]) =>
      runInDurableObject(actorOf(screeningId), (actor) =>
        Promise.all(
          seatIds.map(async (seatId) => (await actor.hold(screeningId, crypto.randomUUID(), [seatId])).ok),
        ),
      );

    it('sends a change after a quiet spell at once, and the changes of the next tick together', async () => {
      const { screeningId, seatIds } = await createScreening();
      const live = await watch(screeningId);
      await expect.poll(() => live.messages.length).toBe(1);
      const start = live.messages[0].version;
      expect(await holdAtOnce(screeningId, seatIds.slice(0, 6))).toEqual(Array(6).fill(true));
      await expect.poll(() => live.messages.at(-1)?.version).toBe(start + 2);
      const [, first, second] = live.messages;
      expect(first).toMatchObject({ version: start + 1, changes: [{ seatId: seatIds[0], status: 'HOLD' }] });
      expect(second.version).toBe(start + 2);
      expect(second.changes).toEqual(seatIds.slice(1, 6).map((seatId) => ({ seatId, status: 'HOLD' })));
      expect(second.committedAt).toBeLessThanOrEqual(Date.now());
      live.close();
    });

    it('sends what waits before a seat map is read, so the map version covers what it shows', async () => {
      const { screeningId, seatIds } = await createScreening();
      const before = (await api(`/api/screenings/${screeningId}/seats`)).body;
      const map = await runInDurableObject(actorOf(screeningId), async (actor) => {
        await actor.hold(screeningId, crypto.randomUUID(), [seatIds[0]!]);
        await actor.hold(screeningId, crypto.randomUUID(), [seatIds[1]!]); // waits for the tick
        return actor.snapshot(screeningId);
      });
      if (!map.ok) throw new Error('no map');
      expect(map.value.version).toBe(before.version + 2);
      expect(map.value.seats.slice(0, 2).map((seat) => seat.status)).toEqual(['HOLD', 'HOLD']);
    });

    it('skips a version for changes it never sent, when it stopped within a tick', async () => {
      const { screeningId, seatIds } = await createScreening();
      await holdAtOnce(screeningId, [seatIds[0]!]);
      // From the actor itself: the Worker's copy of the map would be the same for 250 ms.
      const mapOf = async () => {
        const map = await actorOf(screeningId).snapshot(screeningId);
        if (!map.ok) throw new Error('no map');
        return map.value;
      };
      const before = await mapOf();
      // What a stop within a tick leaves behind: a change stored after the last batch was sent.
      await runInDurableObject(actorOf(screeningId), (_, state) => {
        state.storage.sql.exec("update meta set value = value - 1 where key = 'live_version_at'");
      });
      await runInDurableObject(actorOf(screeningId), (_, state) => state.abort('stopped')).catch(() => {});
      const after = await mapOf();
      // A watcher that never got that change finds the next batch a version ahead, and reads the map.
      expect(after.version).toBe(before.version + 1);
      expect(after.seats).toEqual(before.seats);
    });
  });

  it('sends every watcher every change, in version order with no gaps, ending on the real map', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 30 });
    const people = await fastMembers(10);
    const watchers = await Promise.all([1, 2, 3].map(() => watch(screeningId)));
    await Promise.all(
      people.map(async (person, index) => {
        const made = await hold(screeningId, person.token, seatIds.slice(index * 3, index * 3 + 3));
        if (index % 2 === 0) {
          await api(`/api/screenings/${screeningId}/holds/${made.body.holdToken}`, {
            method: 'DELETE',
            token: person.token,
          });
        }
      }),
    );
    const final = (await api(`/api/screenings/${screeningId}/seats`)).body;
    for (const watcher of watchers) {
      await expect.poll(() => watcher.messages.at(-1)?.version).toBe(final.version);
      const [snapshot, ...batches] = watcher.messages;
      expect(batches.map((batch) => batch.version)).toEqual(
        batches.map((_, index) => snapshot.version + index + 1),
      );
      const seen = new Map(snapshot.seats.map((seat: any) => [seat.seatId, seat.status]));
      for (const batch of batches) for (const change of batch.changes) seen.set(change.seatId, change.status);
      expect(Object.fromEntries(seen)).toEqual(
        Object.fromEntries(final.seats.map((s: any) => [s.seatId, s.status])),
      );
      watcher.close();
    }
  });
});
