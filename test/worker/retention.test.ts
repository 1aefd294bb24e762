// The cron trigger: finished screenings' actor storage and old records are purged (what an actor
// still had to write behind is written first); nothing else.
import { createExecutionContext, createScheduledController, env, runInDurableObject } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { idempotencyRecords, screenings } from '../../src/adapters/db/schema.ts';
import worker from '../../src/index.ts';
import { createScreening, fastMembers, holdSeats, withDb } from './fixtures.ts';
import { api } from './helpers.ts';

const day = 86_400_000;
const tablesOf = (screeningId: string) =>
  runInDurableObject(env.SCREENING_ACTOR.get(env.SCREENING_ACTOR.idFromName(screeningId)), (_, state) =>
    state.storage.sql
      .exec<{ n: number }>("select count(*) as n from sqlite_master where type = 'table' and name = 'meta'")
      .one(),
  );

describe('scheduled retention', () => {
  it('purges finished screenings and old idempotency records, and keeps the rest', async () => {
    const finished = await createScreening({
      salesOpenAt: new Date(Date.now() - 5 * day),
      startTime: new Date(Date.now() - 3 * day),
    });
    const upcoming = await createScreening();
    for (const { screeningId } of [finished, upcoming]) {
      expect((await api(`/api/screenings/${screeningId}/seats`)).status).toBe(200);
    }
    const [member] = await fastMembers(1);
    await withDb((db) =>
      db.insert(idempotencyRecords).values([
        {
          memberId: member!.id,
          key: 'old',
          requestHash: 'x',
          leaseUntil: new Date(),
          createdAt: new Date(Date.now() - 3 * day),
        },
        { memberId: member!.id, key: 'fresh', requestHash: 'x', leaseUntil: new Date() },
      ]),
    );

    await worker.scheduled(createScheduledController(), env, createExecutionContext());

    const purgedAt = async (id: string) =>
      (await withDb((db) => db.select().from(screenings).where(eq(screenings.id, id))))[0]?.actorPurgedAt;
    expect(await purgedAt(finished.screeningId)).toBeInstanceOf(Date);
    expect(await purgedAt(upcoming.screeningId)).toBeNull();
    expect((await tablesOf(finished.screeningId)).n).toBe(0);
    expect((await tablesOf(upcoming.screeningId)).n).toBe(1);
    const keys = await withDb((db) =>
      db
        .select({ key: idempotencyRecords.key })
        .from(idempotencyRecords)
        .where(eq(idempotencyRecords.memberId, member!.id))
        .orderBy(sql`1`),
    );
    expect(keys.map((row) => row.key)).toEqual(['fresh']);
    // A purged screening still answers, rebuilt from Postgres.
    const map = await api(`/api/screenings/${finished.screeningId}/seats`);
    expect(map.status).toBe(200);
    expect(map.body.seats).toHaveLength(20);
  });

  it('writes what waits to be written behind before it forgets a screening', async () => {
    const { screeningId, seatIds } = await createScreening();
    const [member] = await fastMembers(1);
    await holdSeats(screeningId, member!.token, [seatIds[0]!]); // its count is written behind
    const actor = env.SCREENING_ACTOR.get(env.SCREENING_ACTOR.idFromName(screeningId));
    await runInDurableObject(actor, (instance) => instance.purge());
    const [row] = await withDb((db) =>
      db
        .select({ available: screenings.availableSeats, version: screenings.seatsVersion })
        .from(screenings)
        .where(eq(screenings.id, screeningId)),
    );
    expect(row).toEqual({ available: seatIds.length - 1, version: 1 });
  });
});
