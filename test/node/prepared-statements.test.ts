// The payment's statements on the request path are named prepared statements: each connection
// parses and plans them once, then sends only their name and values. Seen from Postgres itself
// (pg_prepared_statements of the session), over one connection so every call shares it. Not on a
// PGlite, embedded or named by DATABASE_URL: every connection to it is the same session.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/adapters/db/client.ts';
import { claimIdempotencyKey, openPayment } from '../../src/adapters/db/payment-repository.ts';
import { memberHolds } from '../../src/adapters/db/schema.ts';
import { noteMemberHolds } from '../../src/adapters/db/seat-repository.ts';
import { rowsOf } from '../../src/adapters/db/statements.ts';
import { connectTcp } from '../../src/adapters/db/tcp-client.ts';
import { readSettings, type Settings } from '../../src/config/settings.ts';
import { type LocalDatabase, openLocalDatabase } from '../../src/local/database.ts';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres.ts';
import { runMigrations } from '../../src/local/migrate.ts';
import { insertMembers, insertScreening } from '../support/screening-fixture.ts';

const connection = connectTcp(inject('databaseUrl'), 1, { prepare: true });
afterAll(() => connection.close());

/** The statements the session behind `db` has prepared (one connection: one session). */
const prepared = async (db: Database = connection.db) =>
  (await rowsOf<{ name: string }>(db, sql`select name from pg_prepared_statements order by name`)).map(
    (row) => row.name,
  );

/** Claims `key` for the member and opens its payment for one seat: the payment's two statements. */
async function claimAndOpen(
  db: Database,
  memberId: string,
  screeningId: string,
  seatId: string,
  key: string,
) {
  await claimIdempotencyKey(db, memberId, key, 'hash', 30_000);
  return openPayment(db, {
    memberId,
    screeningId,
    holdToken: `token-${key}`,
    idempotencyKey: key,
    method: 'CARD',
    seatIds: [seatId],
  });
}

describe('payment statements', () => {
  it('are prepared once per connection and run again by name', async () => {
    const { db } = connection;
    const [member] = await insertMembers(db, 1);
    const { screeningId, seatIds } = await insertScreening(db, { seats: 2 });
    if (!member) throw new Error('no member');
    expect(await prepared()).toEqual([]);

    for (const [index, seatId] of seatIds.entries()) {
      const key = `prepared-${index}`;
      expect(await claimIdempotencyKey(db, member.id, key, `hash-${index}`, 30_000)).toEqual({
        kind: 'claimed',
      });
      const opened = await openPayment(db, {
        memberId: member.id,
        screeningId,
        holdToken: `token-${index}`,
        idempotencyKey: key,
        method: 'CARD',
        seatIds: [seatId],
      });
      expect(opened?.payment).toMatchObject({ status: 'PENDING', seatIds: [seatId] });
      expect(opened?.seats.map((seat) => seat.seatId)).toEqual([seatId]);
    }
    // The same key again is told apart by the prepared claim as before.
    expect(await claimIdempotencyKey(db, member.id, 'prepared-0', 'other', 30_000)).toEqual({
      kind: 'reused',
    });
    expect(await prepared()).toEqual(['claim-idempotency-key', 'open-payment']);
  });

  it('are not named on the embedded database, whose connections all share its one session', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'marquee-prepared-'));
    const local = await openLocalDatabase({ DATA_DIR: dataDir } as Settings, 'tcp');
    try {
      await runMigrations(local.url);
      await expectUnnamedOnSharedSession(local);
    } finally {
      await local.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('are not named on a PGlite that DATABASE_URL names (as the embedded test run does)', async () => {
    const embedded = await startEmbeddedPostgres();
    try {
      await runMigrations(embedded.url);
      const local = await openLocalDatabase({ DATABASE_URL: embedded.url } as Settings, 'tcp');
      try {
        expect(local.embedded).toBe(false);
        await expectUnnamedOnSharedSession(local);
      } finally {
        await local.stop();
      }
    } finally {
      await embedded.stop();
    }
  }, 60_000);
});

describe('PREPARED_STATEMENTS', () => {
  /**
   * Whether the test database keeps each connection's session apart (a real Postgres, as CI runs
   * it) or shares one between them (the embedded test run's PGlite, without DATABASE_URL).
   */
  async function sessionsApart(): Promise<boolean> {
    const other = connectTcp(inject('databaseUrl'), 1);
    try {
      await other.db.execute(sql`prepare marquee_sessions_apart as select 1`);
      const apart = !(await prepared()).includes('marquee_sessions_apart');
      await other.db.execute(sql`deallocate marquee_sessions_apart`);
      return apart;
    } finally {
      await other.close();
    }
  }

  /** The statements a payment names over one connection of a database opened with these settings. */
  async function namedAfterPayment(environment: Record<string, string>): Promise<string[]> {
    const local = await openLocalDatabase(
      readSettings({ DATABASE_URL: inject('databaseUrl'), ...environment }),
      'tcp',
    );
    const { db, close } = local.connect(1);
    try {
      const [member] = await insertMembers(db, 1);
      const { screeningId, seatIds } = await insertScreening(db, { seats: 1 });
      if (!member) throw new Error('no member');
      // A shared session already holds other connections' statements: only what this payment added counts.
      const before = new Set(await prepared(db));
      await claimAndOpen(db, member.id, screeningId, seatIds[0] as string, `setting-${crypto.randomUUID()}`);
      return (await prepared(db)).filter((name) => !before.has(name));
    } finally {
      await close();
      await local.stop();
    }
  }

  it('names the statements by default, and none with PREPARED_STATEMENTS=0 (a pooler in transaction mode)', async () => {
    // On a shared session (PGlite) nothing is ever named, so there the two cannot be told apart.
    const apart = await sessionsApart();
    expect(await namedAfterPayment({})).toEqual(apart ? ['claim-idempotency-key', 'open-payment'] : []);
    expect(await namedAfterPayment({ PREPARED_STATEMENTS: '0' })).toEqual([]);
    expect(await namedAfterPayment({ PREPARED_STATEMENTS: 'false' })).toEqual([]);
    expect(readSettings({ PREPARED_STATEMENTS: '1' }).PREPARED_STATEMENTS).toBe(true);
  });
});

describe('the member-hold index', () => {
  it('is written by one statement of one text for any number of holders, prepared once', async () => {
    const { db } = connection;
    const members = await insertMembers(db, 3);
    const { screeningId } = await insertScreening(db, { seats: 1 });
    const other = await insertScreening(db, { seats: 1 });
    const held = async () =>
      (
        await rowsOf<{ member_id: string; screening_id: string; held_at: Date }>(
          db,
          sql`select member_id, screening_id, held_at from ${memberHolds}
              where member_id in (${sql.join(
                members.map((m) => sql`${m.id}::uuid`),
                sql`, `,
              )})
              order by held_at, member_id, screening_id`,
        )
      ).map((row) => ({
        memberId: row.member_id,
        screeningId: row.screening_id,
        heldAt: new Date(row.held_at),
      }));
    const [first, second, third] = members.map((member) => member.id) as [string, string, string];

    await noteMemberHolds(db, [{ screeningId, memberId: first }]);
    const once = await held();
    expect(once.map(({ memberId, screeningId }) => [memberId, screeningId])).toEqual([[first, screeningId]]);

    // Three pairs, one of them again: added, and the repeated one's time moves on.
    await noteMemberHolds(db, [
      { screeningId, memberId: first },
      { screeningId, memberId: second },
      { screeningId: other.screeningId, memberId: third },
    ]);
    const after = await held();
    expect(after).toHaveLength(3);
    expect(new Set(after.map(({ memberId, screeningId }) => `${memberId} ${screeningId}`))).toEqual(
      new Set([`${first} ${screeningId}`, `${second} ${screeningId}`, `${third} ${other.screeningId}`]),
    );
    const again = after.find((row) => row.memberId === first);
    expect(again?.heldAt.getTime()).toBeGreaterThan(once[0]?.heldAt.getTime() ?? Number.POSITIVE_INFINITY);
    expect(await prepared()).toContain('note-member-holds');
  });
});

/** Four payments opened at once over four connections of one shared session: none refused, none named. */
async function expectUnnamedOnSharedSession(local: LocalDatabase): Promise<void> {
  const { db, close } = local.connect(4);
  try {
    const members = await insertMembers(db, 4);
    const { screeningId, seatIds } = await insertScreening(db, { seats: 4 });
    const opened = await Promise.all(
      members.map((member, index) =>
        claimAndOpen(db, member.id, screeningId, seatIds[index] as string, `shared-${index}`),
      ),
    );
    expect(opened.map((open) => open?.payment.status)).toEqual(members.map(() => 'PENDING'));
    expect(await prepared(db)).toEqual([]);
  } finally {
    await close();
  }
}
