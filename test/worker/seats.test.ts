// Seat map, holds and the live socket over HTTP, inside workerd against real Postgres.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { screenings } from '../../src/adapters/db/schema.ts';
import { overlappingAttempts } from '../support/overlapping-holds.ts';
import { createScreening, fastMembers, watch, withDb } from './fixtures.ts';
import { api, newUser } from './helpers.ts';

const holdPath = (screeningId: string) => `/api/screenings/${screeningId}/holds`;
const seatMap = async (screeningId: string) => (await api(`/api/screenings/${screeningId}/seats`)).body;
const statusOf = (map: any, seatId: string) => map.seats.find((seat: any) => seat.seatId === seatId)?.status;

describe('seats and holds', () => {
  describe('happy', () => {
    it('serves the seat map with layout, prices, statuses and a version', async () => {
      const { screeningId, seatIds } = await createScreening({ seats: 12, price: 13000 });
      const response = await api(`/api/screenings/${screeningId}/seats`);
      expect(response.status).toBe(200);
      expect(response.body.screeningId).toBe(screeningId);
      expect(response.body.version).toEqual(expect.any(Number));
      expect(response.body.seats).toHaveLength(12);
      expect(response.body.seats[0]).toEqual({
        seatId: seatIds[0],
        rowLabel: 'A',
        seatNo: 1,
        type: 'STANDARD',
        status: 'AVAILABLE',
        price: 13000,
      });
    });

    it('holds seats, lists them under /api/me/holds, and releases them', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const held = await api(holdPath(screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatIds[0], seatIds[1]] },
      });
      expect(held.status).toBe(201);
      expect(held.body).toEqual({
        holdToken: expect.any(String),
        screeningId,
        seatIds: [seatIds[0], seatIds[1]],
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(statusOf(await seatMap(screeningId), seatIds[0]!)).toBe('HOLD');
      // The member-hold index is written behind the 201 (no Postgres on the hold's path), and the
      // API promises the hold in GET /api/me/holds within 1 s of it.
      const mine = () => api('/api/me/holds', { token: user.accessToken });
      await expect
        .poll(async () => (await mine()).body.items, { timeout: 1_000, interval: 50 })
        .toEqual([held.body]);
      expect((await mine()).status).toBe(200);

      const released = await api(`${holdPath(screeningId)}/${held.body.holdToken}`, {
        method: 'DELETE',
        token: user.accessToken,
      });
      expect(released.status).toBe(204);
      expect(statusOf(await seatMap(screeningId), seatIds[0]!)).toBe('AVAILABLE');
      expect((await api('/api/me/holds', { token: user.accessToken })).body.items).toEqual([]);
    });

    it('keeps availableSeats of screening lists in Postgres, written by the actor', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening({ seats: 10 });
      await api(holdPath(screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: seatIds.slice(0, 3) },
      });
      const available = () =>
        withDb(
          async (db) =>
            (await db.select().from(screenings).where(eq(screenings.id, screeningId)))[0]?.availableSeats,
        );
      await expect.poll(available, { timeout: 5_000 }).toBe(7);
    });

    it('streams a snapshot, then one versioned batch per change, and answers ping', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const live = await watch(screeningId);
      await expect.poll(() => live.messages.length).toBe(1);
      const [snapshot] = live.messages;
      expect(snapshot).toMatchObject({ type: 'snapshot', version: expect.any(Number) });
      expect(snapshot.seats).toHaveLength(20);
      expect(snapshot.seats[0]).toEqual({ seatId: seatIds[0], status: 'AVAILABLE' });

      const held = await api(holdPath(screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatIds[3]] },
      });
      await api(`${holdPath(screeningId)}/${held.body.holdToken}`, {
        method: 'DELETE',
        token: user.accessToken,
      });
      await expect.poll(() => live.messages.length).toBe(3);
      expect(live.messages[1]).toEqual({
        type: 'seats',
        version: snapshot.version + 1,
        changes: [{ seatId: seatIds[3], status: 'HOLD' }],
        committedAt: expect.any(Number),
      });
      // When the actor committed it, on the server's clock (an addition to the message).
      expect(Math.abs(live.messages[1].committedAt - Date.now())).toBeLessThan(60_000);
      expect(live.messages[2]).toEqual({
        type: 'seats',
        version: snapshot.version + 2,
        changes: [{ seatId: seatIds[3], status: 'AVAILABLE' }],
        committedAt: expect.any(Number),
      });
      live.socket.send(JSON.stringify({ type: 'ping' }));
      live.socket.send(JSON.stringify({ type: 'hold', seatIds: [seatIds[4]] }));
      await expect.poll(() => live.messages.at(-1)).toEqual({ type: 'pong' });
      expect(statusOf(await seatMap(screeningId), seatIds[4]!)).toBe('AVAILABLE');
      live.close();
    });

    it('sends each change to the sockets open at the time, as they come and go between changes', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const hold = async (seatId: string) =>
        expect(
          (
            await api(holdPath(screeningId), {
              method: 'POST',
              token: user.accessToken,
              body: { seatIds: [seatId] },
            })
          ).status,
        ).toBe(201);
      const first = await watch(screeningId);
      await expect.poll(() => first.messages.length).toBe(1);
      await hold(seatIds[0]!); // the actor now has its list of sockets
      const second = await watch(screeningId);
      await expect.poll(() => second.messages.length).toBe(1);
      await hold(seatIds[1]!);
      await expect.poll(() => second.messages.length).toBe(2);
      expect(second.messages[1].changes).toEqual([{ seatId: seatIds[1], status: 'HOLD' }]);
      await expect.poll(() => first.messages.length).toBe(3);

      first.close(); // whether the actor has heard of it yet or not, the other socket gets what follows
      await hold(seatIds[2]!);
      await expect.poll(() => second.messages.length).toBe(3);
      expect(second.messages[2]).toMatchObject({
        version: second.messages[1].version + 1,
        changes: [{ seatId: seatIds[2], status: 'HOLD' }],
      });
      second.close();
    });
  });

  describe('errors', () => {
    it.each([
      [{ seatIds: [] }],
      [{ seatIds: ['not-a-uuid'] }],
      [{ seatIds: Array.from({ length: 9 }, () => crypto.randomUUID()) }],
      [{ seats: [] }],
    ])('refuses hold body %j with 400', async (body) => {
      const user = await newUser();
      const { screeningId } = await createScreening({ seats: 10 });
      const response = await api(holdPath(screeningId), { method: 'POST', token: user.accessToken, body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it('refuses duplicate seat ids with 400', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening({ seats: 10 });
      const response = await api(holdPath(screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatIds[0], seatIds[0]] },
      });
      expect(response.status).toBe(400);
    });

    it('answers 404 for a screening that does not exist and 400 for a malformed id', async () => {
      const user = await newUser();
      const missing = crypto.randomUUID();
      expect((await api(`/api/screenings/${missing}/seats`)).status).toBe(404);
      const hold = await api(holdPath(missing), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [missing] },
      });
      expect(hold.status).toBe(404);
      expect(hold.body.code).toBe('NOT_FOUND');
      expect((await api('/api/screenings/junk/seats')).status).toBe(400);
    });

    it('answers a taken seat with 409 SEAT_NOT_AVAILABLE naming it, and changes nothing', async () => {
      const [alice, bob] = await Promise.all([newUser(), newUser()]);
      const { screeningId, seatIds } = await createScreening();
      await api(holdPath(screeningId), {
        method: 'POST',
        token: alice.accessToken,
        body: { seatIds: [seatIds[1]] },
      });
      const before = await seatMap(screeningId);
      const refused = await api(holdPath(screeningId), {
        method: 'POST',
        token: bob.accessToken,
        body: { seatIds: [seatIds[0], seatIds[1]] },
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'SEAT_NOT_AVAILABLE', unavailableSeatIds: [seatIds[1]] });
      expect(await seatMap(screeningId)).toEqual(before);
    });

    it('answers a ninth seat with 409 HOLD_LIMIT_EXCEEDED', async () => {
      const user = await newUser();
      const { screeningId, seatIds } = await createScreening();
      const first = await api(holdPath(screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: seatIds.slice(0, 8) },
      });
      expect(first.status).toBe(201);
      const ninth = await api(holdPath(screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [seatIds[8]] },
      });
      expect(ninth.status).toBe(409);
      expect(ninth.body.code).toBe('HOLD_LIMIT_EXCEEDED');
    });

    it('answers holds outside the sales window with SALES_NOT_OPEN and SALES_CLOSED', async () => {
      const user = await newUser();
      const early = await createScreening({ salesOpenAt: new Date(Date.now() + 3_600_000) });
      const notOpen = await api(holdPath(early.screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [early.seatIds[0]] },
      });
      expect([notOpen.status, notOpen.body.code]).toEqual([409, 'SALES_NOT_OPEN']);
      const late = await createScreening({
        salesOpenAt: new Date(Date.now() - 7_200_000),
        startTime: new Date(Date.now() - 1_000),
      });
      const closed = await api(holdPath(late.screeningId), {
        method: 'POST',
        token: user.accessToken,
        body: { seatIds: [late.seatIds[0]] },
      });
      expect([closed.status, closed.body.code]).toEqual([409, 'SALES_CLOSED']);
    });

    it('answers an unknown hold token with 404 HOLD_NOT_FOUND and a plain GET on /live with 400', async () => {
      const user = await newUser();
      const { screeningId } = await createScreening({ seats: 10 });
      const response = await api(`${holdPath(screeningId)}/nope`, {
        method: 'DELETE',
        token: user.accessToken,
      });
      expect([response.status, response.body.code]).toEqual([404, 'HOLD_NOT_FOUND']);
      expect((await api(`/api/screenings/${screeningId}/live`)).status).toBe(400);
    });
  });

  describe('security', () => {
    it('requires a token to hold, release and list holds', async () => {
      const { screeningId, seatIds } = await createScreening({ seats: 10 });
      expect(
        (await api(holdPath(screeningId), { method: 'POST', body: { seatIds: [seatIds[0]] } })).status,
      ).toBe(401);
      expect((await api(`${holdPath(screeningId)}/x`, { method: 'DELETE' })).status).toBe(401);
      expect((await api('/api/me/holds')).status).toBe(401);
    });

    it("never lets another member see or release somebody's hold", async () => {
      const [alice, mallory] = await Promise.all([newUser(), newUser()]);
      const { screeningId, seatIds } = await createScreening({ seats: 10 });
      const held = await api(holdPath(screeningId), {
        method: 'POST',
        token: alice.accessToken,
        body: { seatIds: [seatIds[0]] },
      });
      const steal = await api(`${holdPath(screeningId)}/${held.body.holdToken}`, {
        method: 'DELETE',
        token: mallory.accessToken,
      });
      expect([steal.status, steal.body.code]).toEqual([404, 'HOLD_NOT_FOUND']);
      expect((await api('/api/me/holds', { token: mallory.accessToken })).body.items).toEqual([]);
      expect(statusOf(await seatMap(screeningId), seatIds[0]!)).toBe('HOLD');
    });
  });

  describe('concurrency', () => {
    it('gives every seat to at most one of 500 concurrent overlapping holds, all or nothing', async () => {
      const { screeningId, seatIds } = await createScreening({ seats: 40 });
      const people = await fastMembers(100);
      const attempts = overlappingAttempts(seatIds, people, 500);
      const results = await Promise.all(
        attempts.map((attempt) =>
          api(holdPath(screeningId), {
            method: 'POST',
            token: attempt.who.token,
            body: { seatIds: attempt.seatIds },
          }),
        ),
      );
      const statuses = results.map((result) => result.status);
      expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
      const won = results.filter((result) => result.status === 201);
      expect(won.length).toBeGreaterThan(0);
      const owner = new Map<string, string>();
      for (const result of won) {
        for (const seatId of result.body.seatIds) {
          expect(owner.has(seatId), `seat ${seatId} held twice`).toBe(false);
          owner.set(seatId, result.body.holdToken);
        }
      }
      const map = await seatMap(screeningId);
      for (const seat of map.seats) expect(seat.status).toBe(owner.has(seat.seatId) ? 'HOLD' : 'AVAILABLE');
      for (const [index, result] of results.entries()) {
        if (result.status === 201) expect(result.body.seatIds).toEqual(attempts[index]!.seatIds);
        else expect(['SEAT_NOT_AVAILABLE', 'HOLD_LIMIT_EXCEEDED']).toContain(result.body.code);
      }
      expect(env.HOLD_TTL_SECONDS).toBe('300');
    });
  });
});
