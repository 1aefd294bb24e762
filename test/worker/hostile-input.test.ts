// What a hostile user tried (issue 15) and must not get: a second coordinator through another
// spelling of a screening id, a live socket that hears nothing, Durable Objects made by reads, a
// 500 (and a logged query) for a NUL byte, logins that outlive a password reset or a demotion, big
// socket frames, and a 503 among simultaneous cancels.
import { env, listDurableObjectIds } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { gatewayLedger, members, refreshTokens } from '../../src/adapters/db/schema.ts';
import { upsertAdmin } from '../../src/local/seed.ts';
import { createScreening, holdSeats, payFor, seatStatuses, watch, withDb } from './fixtures.ts';
import { api, newUser } from './helpers.ts';
import { captureLogs } from './log-capture.ts';

/** Other spellings of the same UUID: all capitals, and every other letter a capital. */
const spellings = (id: string) => [
  id.toUpperCase(),
  [...id].map((char, index) => (index % 2 ? char.toUpperCase() : char)).join(''),
];

describe('one screening, one coordinator, whatever the spelling', () => {
  it('refuses a held seat to a second buyer who spells the screening id in capitals', async () => {
    const [first, second] = [await newUser(), await newUser()];
    const { screeningId, seatIds } = await createScreening({ seats: 6 });
    const upper = screeningId.toUpperCase();
    await holdSeats(screeningId, first.accessToken, [seatIds[0]!]);
    const taken = await api(`/api/screenings/${upper}/holds`, {
      method: 'POST',
      token: second.accessToken,
      body: { seatIds: [seatIds[0]] },
    });
    expect([taken.status, taken.body.code]).toEqual([409, 'SEAT_NOT_AVAILABLE']);
    // A hold through a variant answers with the canonical ids and shows on the canonical map.
    const held = await holdSeats(upper, second.accessToken, [seatIds[1]!.toUpperCase()]);
    expect([held.screeningId, held.seatIds]).toEqual([screeningId, [seatIds[1]]]);
    expect((await seatStatuses(screeningId)).get(seatIds[1]!)).toBe('HOLD');
    // It is paid for with the variant too, and the seat is sold on the one map there is.
    const paid = await payFor({ ...held, screeningId: upper }, second.accessToken);
    expect(paid.status).toBe(201);
    expect(paid.body.reservation.screeningId).toBe(screeningId);
    expect((await seatStatuses(upper)).get(seatIds[1]!)).toBe('RESERVED');
  });

  it('counts one member’s seats across spellings against the 8-seat limit', async () => {
    const user = await newUser();
    const { screeningId, seatIds } = await createScreening({ seats: 20 });
    await holdSeats(screeningId, user.accessToken, seatIds.slice(0, 8));
    const more = await api(`/api/screenings/${screeningId.toUpperCase()}/holds`, {
      method: 'POST',
      token: user.accessToken,
      body: { seatIds: seatIds.slice(8, 10) },
    });
    expect([more.status, more.body.code]).toEqual([409, 'HOLD_LIMIT_EXCEEDED']);
  });

  it('sends changes to a live socket opened with another spelling', async () => {
    const user = await newUser();
    const { screeningId, seatIds } = await createScreening({ seats: 4 });
    const watcher = await watch(screeningId.toUpperCase());
    await holdSeats(screeningId, user.accessToken, [seatIds[2]!]);
    await expect
      .poll(() => watcher.messages.flatMap((message) => message.changes ?? []), { timeout: 5_000 })
      .toEqual([{ seatId: seatIds[2], status: 'HOLD' }]);
    watcher.close();
  });

  it('answers anonymous reads with other spellings from the one Durable Object, making no other', async () => {
    const { screeningId } = await createScreening({ seats: 4 });
    const canonical = await api(`/api/screenings/${screeningId}/seats`);
    expect(canonical.status).toBe(200);
    for (const variant of spellings(screeningId)) {
      const read = await api(`/api/screenings/${variant}/seats`);
      expect([read.status, read.body]).toEqual([200, canonical.body]);
      expect((await api(`/api/screenings/${variant}`)).body.id).toBe(screeningId);
    }
    const made = await listDurableObjectIds(env.SCREENING_ACTOR);
    expect(made.some((id) => id.equals(env.SCREENING_ACTOR.idFromName(screeningId)))).toBe(true);
    for (const variant of spellings(screeningId)) {
      expect(made.some((id) => id.equals(env.SCREENING_ACTOR.idFromName(variant)))).toBe(false);
    }
  });
});

describe('a NUL byte is bad input', () => {
  it('answers 400 for a NUL in a path or a login id, and logs no query or its parameters', async () => {
    const user = await newUser();
    const logs = captureLogs();
    try {
      const path = await api('/api/reservations/MQ-261201-%00ABCDE', { token: user.accessToken });
      expect([path.status, path.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const login = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId: 'nul\u0000byte', password: 'whatever-password' },
      });
      expect([login.status, login.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(logs.lines().filter((line) => line.level === 'error')).toEqual([]);
      expect(logs.text()).not.toMatch(/params:|Failed query/);
    } finally {
      logs.restore();
    }
  });
});

describe('logins end with what they were for', () => {
  it('revokes refresh tokens on a password reset and a role change, and refuses the old access token', async () => {
    const user = await newUser();
    await withDb((db) => upsertAdmin(db, user.loginId, 'a-brand-new-password'));
    const refreshed = await api('/api/auth/refresh', {
      method: 'POST',
      body: { refreshToken: user.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    // The USER token no longer says who the member is: refused within seconds.
    await expect
      .poll(async () => (await api('/api/me', { token: user.accessToken })).status, {
        timeout: 15_000,
        interval: 250,
      })
      .toBe(401);
    const again = await api('/api/auth/login', {
      method: 'POST',
      body: { loginId: user.loginId, password: 'a-brand-new-password' },
    });
    expect((await api('/api/me', { token: again.body.accessToken })).body.role).toBe('ADMIN');
  });

  it('refuses a demoted admin on admin routes and a deleted member everywhere, within seconds', async () => {
    const [promoted, doomed] = [await newUser(), await newUser()];
    await withDb((db) => upsertAdmin(db, promoted.loginId, promoted.password));
    const login = await api('/api/auth/login', {
      method: 'POST',
      body: { loginId: promoted.loginId, password: promoted.password },
    });
    const token = login.body.accessToken;
    expect((await api('/api/admin/movies', { token })).status).toBe(200);
    await withDb((db) =>
      db.update(members).set({ role: 'USER' }).where(eq(members.loginId, promoted.loginId)),
    );
    await expect
      .poll(async () => (await api('/api/admin/movies', { token })).status, {
        timeout: 15_000,
        interval: 250,
      })
      .toBe(401);

    expect((await api('/api/me', { token: doomed.accessToken })).status).toBe(200);
    await withDb(async (db) => {
      await db.delete(refreshTokens).where(eq(refreshTokens.memberId, doomed.id));
      await db.delete(members).where(eq(members.id, doomed.id));
    });
    await expect
      .poll(async () => (await api('/api/me', { token: doomed.accessToken })).status, {
        timeout: 15_000,
        interval: 250,
      })
      .toBe(401);
  });
});

describe('the live socket reads nothing but a ping', () => {
  it('closes a socket that sends a big message, and still answers a ping', async () => {
    const { screeningId } = await createScreening({ seats: 2 });
    const small = await watch(screeningId);
    small.socket.send('{"type":"ping"}');
    await expect.poll(() => small.messages.some((message) => message.type === 'pong')).toBe(true);
    small.close();

    const big = await watch(screeningId);
    const closed = new Promise<number>((resolve) =>
      big.socket.addEventListener('close', (event) => resolve(event.code)),
    );
    big.socket.send(`{"type":"ping","pad":"${'x'.repeat(64 * 1024)}"}`);
    expect(await closed).toBe(1009);
  });
});

describe('simultaneous cancels', () => {
  it('answers six cancels sent at once with the same 200, and refunds once (three reservations over)', async () => {
    const user = await newUser();
    const { screeningId, seatIds } = await createScreening({ seats: 4 });
    const paid = await Promise.all(
      seatIds
        .slice(0, 3)
        .map(
          async (seatId) =>
            (await payFor(await holdSeats(screeningId, user.accessToken, [seatId]), user.accessToken)).body,
        ),
    );
    const answers = await Promise.all(
      paid.map(({ reservation }) =>
        Promise.all(
          Array.from({ length: 6 }, () =>
            api(`/api/reservations/${reservation.reservationNo}/cancel`, {
              method: 'POST',
              token: user.accessToken,
            }),
          ),
        ),
      ),
    );
    for (const [index, { reservation, payment }] of paid.entries()) {
      const expected = {
        reservationNo: reservation.reservationNo,
        status: 'CANCELLED',
        refund: { status: 'REFUNDED', amount: payment.amount },
      };
      expect(answers[index]!.map((answer) => [answer.status, answer.body])).toEqual(
        Array.from({ length: 6 }, () => [200, expected]),
      );
      const ledger = await withDb((db) =>
        db.select().from(gatewayLedger).where(eq(gatewayLedger.idempotencyKey, payment.id)),
      );
      expect(ledger.map((row) => row.kind).sort()).toEqual(['CHARGE', 'REFUND']);
    }
    const statuses = await seatStatuses(screeningId);
    expect(seatIds.slice(0, 3).map((seatId) => statuses.get(seatId))).toEqual([
      'AVAILABLE',
      'AVAILABLE',
      'AVAILABLE',
    ]);
  });
});
