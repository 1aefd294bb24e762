// The ScreeningActor itself: its one alarm, eviction, and what live clients see.
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
