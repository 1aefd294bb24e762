// Admin seat states over HTTP: Postgres first, then the actor; refused moves leave both unchanged.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { screeningSeatStates, seats } from '../../src/adapters/db/schema.ts';
import { createScreening, withDb } from './fixtures.ts';
import { admin, api, newUser } from './helpers.ts';

const statusOf = async (screeningId: string, seatId: string) =>
  (await api(`/api/screenings/${screeningId}/seats`)).body.seats.find((seat: any) => seat.seatId === seatId)
    ?.status;
const blockPath = (screeningId: string, action: 'block' | 'unblock') =>
  `/api/admin/screenings/${screeningId}/seats/${action}`;

describe('admin seat states', () => {
  describe('happy', () => {
    it('blocks seats in Postgres and on the map, and unblocks them', async () => {
      const { token } = { token: (await admin()).accessToken };
      const { screeningId, seatIds } = await createScreening();
      const blocked = await api(blockPath(screeningId, 'block'), {
        method: 'POST',
        token,
        body: { seatIds: [seatIds[0], seatIds[1]], reason: 'camera position' },
      });
      expect(blocked.status).toBe(200);
      expect(blocked.body).toEqual({ seatIds: [seatIds[0], seatIds[1]], status: 'BLOCKED' });
      expect(await statusOf(screeningId, seatIds[0]!)).toBe('BLOCKED');
      const rows = await withDb((db) =>
        db.select().from(screeningSeatStates).where(eq(screeningSeatStates.screeningId, screeningId)),
      );
      expect(rows.map((row) => [row.seatId, row.status, row.reason]).sort()).toEqual(
        [
          [seatIds[0], 'BLOCKED', 'camera position'],
          [seatIds[1], 'BLOCKED', 'camera position'],
        ].sort(),
      );
      const user = await newUser();
      const taken = await api(`/api/screenings/${screeningId}/holds`, {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatIds[0]] },
      });
      expect([taken.status, taken.body.code]).toEqual([409, 'SEAT_NOT_AVAILABLE']);

      const unblocked = await api(blockPath(screeningId, 'unblock'), {
        method: 'POST',
        token,
        body: { seatIds: [seatIds[0], seatIds[1]] },
      });
      expect(unblocked.body).toEqual({ seatIds: [seatIds[0], seatIds[1]], status: 'AVAILABLE' });
      expect(await statusOf(screeningId, seatIds[0]!)).toBe('AVAILABLE');
    });

    it('disables a seat in every screening not yet started, and enables it again', async () => {
      const { token } = { token: (await admin()).accessToken };
      const { screeningId, screenId, seatIds } = await createScreening();
      const seatId = seatIds[3]!;
      const disabled = await api(`/api/admin/seats/${seatId}/disable`, {
        method: 'POST',
        token,
        body: { reason: 'broken' },
      });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toEqual({ seatIds: [seatId], status: 'DISABLED' });
      expect(await statusOf(screeningId, seatId)).toBe('DISABLED');
      const [seat] = await withDb((db) => db.select().from(seats).where(eq(seats.id, seatId)));
      expect([seat?.disabled, seat?.disabledReason, seat?.screenId]).toEqual([true, 'broken', screenId]);

      const enabled = await api(`/api/admin/seats/${seatId}/enable`, { method: 'POST', token, body: {} });
      expect(enabled.body).toEqual({ seatIds: [seatId], status: 'AVAILABLE' });
      expect(await statusOf(screeningId, seatId)).toBe('AVAILABLE');
    });
  });

  describe('errors', () => {
    it('refuses to block a held seat with 409 and writes nothing', async () => {
      const { token } = { token: (await admin()).accessToken };
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      await api(`/api/screenings/${screeningId}/holds`, {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatIds[0]] },
      });
      const refused = await api(blockPath(screeningId, 'block'), {
        method: 'POST',
        token,
        body: { seatIds: [seatIds[0], seatIds[1]], reason: 'vip' },
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [seatIds[0]] });
      expect(await statusOf(screeningId, seatIds[1]!)).toBe('AVAILABLE');
      const rows = await withDb((db) =>
        db.select().from(screeningSeatStates).where(eq(screeningSeatStates.screeningId, screeningId)),
      );
      expect(rows).toEqual([]);
    });

    it('refuses to disable a seat held in an upcoming screening: 409 naming it, nothing changed', async () => {
      const { token } = { token: (await admin()).accessToken };
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const seatId = seatIds[4]!;
      await api(`/api/screenings/${screeningId}/holds`, {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatId] },
      });
      const refused = await api(`/api/admin/seats/${seatId}/disable`, {
        method: 'POST',
        token,
        body: { reason: 'x' },
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'SEAT_NOT_AVAILABLE', screeningIds: [screeningId] });
      const [seat] = await withDb((db) => db.select().from(seats).where(eq(seats.id, seatId)));
      expect(seat?.disabled).toBe(false);
      expect(await statusOf(screeningId, seatId)).toBe('HOLD');
    });

    it('refuses seats of another screen, unknown fields and empty reasons with 400, unknown seats with 404', async () => {
      const { token } = { token: (await admin()).accessToken };
      const { screeningId } = await createScreening();
      const other = await createScreening();
      const foreign = await api(blockPath(screeningId, 'block'), {
        method: 'POST',
        token,
        body: { seatIds: [other.seatIds[0]], reason: 'x' },
      });
      expect([foreign.status, foreign.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const extra = await api(blockPath(screeningId, 'block'), {
        method: 'POST',
        token,
        body: { seatIds: [other.seatIds[0]], reason: 'x', status: 'RESERVED' },
      });
      expect(extra.status).toBe(400);
      const noReason = await api(`/api/admin/seats/${other.seatIds[0]}/disable`, {
        method: 'POST',
        token,
        body: { reason: ' ' },
      });
      expect(noReason.status).toBe(400);
      const unknown = await api(`/api/admin/seats/${crypto.randomUUID()}/disable`, {
        method: 'POST',
        token,
        body: { reason: 'x' },
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe('security', () => {
    it('answers 401 without a token and 403 for a USER on every admin seat route', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening({ seats: 10 });
      const routes = [
        [blockPath(screeningId, 'block'), { seatIds: [seatIds[0]], reason: 'x' }],
        [blockPath(screeningId, 'unblock'), { seatIds: [seatIds[0]] }],
        [`/api/admin/seats/${seatIds[0]}/disable`, { reason: 'x' }],
        [`/api/admin/seats/${seatIds[0]}/enable`, {}],
      ] as const;
      for (const [path, body] of routes) {
        expect((await api(path, { method: 'POST', body })).status).toBe(401);
        const forbidden = await api(path, { method: 'POST', body, token: user.accessToken });
        expect([forbidden.status, forbidden.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      expect(await statusOf(screeningId, seatIds[0]!)).toBe('AVAILABLE');
    });
  });
});
