// The waiting room over HTTP inside workerd against real Postgres: joining, one ticket per member,
// tickets only their owner sees, admission tokens, holds refused without one before the seat
// coordinator is called (counted), the admin's counts and settings.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signAdmission } from '../../src/adapters/auth/admission-tokens.ts';
import { createApp } from '../../src/http/app.ts';
import { workerRuntime } from '../../src/index.ts';
import { adminToken, createMovie, createVenue, daysAhead, scheduleScreening } from './catalog-helpers.ts';
import { createScreening } from './fixtures.ts';
import { api, newUser } from './helpers.ts';

const MINUTE = 60_000;
const queuePath = (screeningId: string) => `/api/screenings/${screeningId}/queue`;

/** A screening whose sale opens `opensIn` ms from now, with a waiting room set by the admin. */
async function roomScreening(opensIn: number, room = { admitPerMinute: 600, opensBeforeMinutes: 30 }) {
  const fixture = await createScreening({ seats: 10, salesOpenAt: new Date(Date.now() + opensIn) });
  const patched = await api(`/api/admin/screenings/${fixture.screeningId}`, {
    method: 'PATCH',
    token: await adminToken(),
    body: { waitingRoom: room },
  });
  expect(patched.status).toBe(200);
  expect(patched.body.waitingRoom).toEqual(room);
  return fixture;
}

/** `target` with every method call's name written to `calls`. */
function counted<T extends object>(target: T, calls: string[]): T {
  return new Proxy(target, {
    get(object, name, receiver) {
      const value = Reflect.get(object, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(object, args);
      };
    },
  });
}

const hold = (screeningId: string, token: string, seatIds: string[], admission?: string) =>
  api(`/api/screenings/${screeningId}/holds`, {
    method: 'POST',
    token,
    body: { seatIds },
    ...(admission ? { headers: { 'admission-token': admission } } : {}),
  });

describe('waiting room', () => {
  describe('happy', () => {
    it('gives a member one ticket: WAITING before the draw with no position, the same ticket again with 200', async () => {
      const { screeningId } = await roomScreening(5 * MINUTE);
      const user = await newUser();
      const joined = await api(queuePath(screeningId), { method: 'POST', token: user.accessToken });
      expect(joined.status).toBe(201);
      expect(joined.body).toEqual({
        ticketId: expect.any(String),
        status: 'WAITING',
        position: null,
        estimatedWaitSeconds: expect.any(Number),
        pollAfterSeconds: expect.any(Number),
      });
      expect(joined.body.estimatedWaitSeconds).toBeGreaterThan(240);
      expect(joined.body.estimatedWaitSeconds).toBeLessThanOrEqual(300);
      const again = await api(queuePath(screeningId), { method: 'POST', token: user.accessToken });
      expect(again.status).toBe(200);
      expect(again.body.ticketId).toBe(joined.body.ticketId);
      const seen = await api(`${queuePath(screeningId)}/${joined.body.ticketId}`, {
        token: user.accessToken,
      });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ ticketId: joined.body.ticketId, status: 'WAITING', position: null });
    });

    it('admits into an open room, and the admission lets its member hold', async () => {
      const { screeningId, seatIds } = await roomScreening(-MINUTE);
      const user = await newUser();
      const joined = await api(queuePath(screeningId), { method: 'POST', token: user.accessToken });
      expect(joined.status).toBe(201);
      expect(joined.body).toEqual({
        ticketId: expect.any(String),
        status: 'ADMITTED',
        admissionToken: expect.any(String),
        admittedUntil: expect.any(String),
      });
      const until = Date.parse(joined.body.admittedUntil);
      expect(until).toBeGreaterThan(Date.now() + 890_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 900_000);
      const held = await hold(screeningId, user.accessToken, [seatIds[0]!], joined.body.admissionToken);
      expect(held.status).toBe(201);
    });

    it('shows the room on the screening, and takes one on create', async () => {
      const { screen } = await createVenue();
      const movie = await createMovie();
      const created = await scheduleScreening({
        movieId: movie.id,
        screenId: screen.id,
        startTime: `${daysAhead(30)}T10:00:00Z`,
        prices: { STANDARD: 12000 },
        waitingRoom: { admitPerMinute: 120 },
      });
      expect(created.status).toBe(201);
      expect(created.body.waitingRoom).toEqual({ admitPerMinute: 120, opensBeforeMinutes: 30 });
      const detail = await api(`/api/screenings/${created.body.id}`);
      expect(detail.body.waitingRoom).toEqual({ admitPerMinute: 120, opensBeforeMinutes: 30 });
    });

    it("gives the admin the room's counts, and a new rate", async () => {
      const { screeningId } = await roomScreening(-MINUTE, { admitPerMinute: 1, opensBeforeMinutes: 30 });
      const users = await Promise.all([newUser(), newUser(), newUser()]);
      for (const user of users)
        await api(queuePath(screeningId), { method: 'POST', token: user.accessToken });
      const counts = await api(`${queuePath(screeningId).replace('/api/', '/api/admin/')}`, {
        token: await adminToken(),
      });
      expect(counts.status).toBe(200);
      expect(counts.body).toEqual({ waiting: 2, admitted: 1, admitPerMinute: 1 });
      await api(`/api/admin/screenings/${screeningId}`, {
        method: 'PATCH',
        token: await adminToken(),
        body: { waitingRoom: { admitPerMinute: 90, opensBeforeMinutes: 30 } },
      });
      const changed = await api(`/api/admin/screenings/${screeningId}/queue`, { token: await adminToken() });
      expect(changed.body.admitPerMinute).toBe(90);
    });
  });

  describe('many pollers', () => {
    it('answers a waiting ticket from what the isolate heard of its room a moment ago', async () => {
      const calls: string[] = [];
      const runtime = workerRuntime(env);
      const app = createApp({ ...runtime, waitingRoom: counted(runtime.waitingRoom, calls) });
      const { screeningId } = await roomScreening(-MINUTE, { admitPerMinute: 1, opensBeforeMinutes: 30 });
      const [first, second] = await Promise.all([newUser(), newUser()]);
      await api(queuePath(screeningId), { method: 'POST', token: first.accessToken });
      const joined = await api(queuePath(screeningId), { method: 'POST', token: second.accessToken });
      expect(joined.body).toMatchObject({ status: 'WAITING', position: 1 });
      const polls = 20;
      for (let i = 0; i < polls; i++) {
        const response = await app.request(
          `${queuePath(screeningId)}/${joined.body.ticketId}`,
          { headers: { authorization: `Bearer ${second.accessToken}` } },
          env,
        );
        expect(await response.json()).toMatchObject({ status: 'WAITING', position: 1 });
      }
      expect(calls.length).toBeLessThan(polls / 2);
      // Someone else asking for that ticket is still told there is none.
      const stranger = await app.request(
        `${queuePath(screeningId)}/${joined.body.ticketId}`,
        { headers: { authorization: `Bearer ${first.accessToken}` } },
        env,
      );
      expect(stranger.status).toBe(404);
    });
  });

  describe('errors', () => {
    it('refuses to queue before the room opens: 409 QUEUE_NOT_OPEN with opensAt', async () => {
      const { screeningId } = await roomScreening(2 * 60 * MINUTE);
      const user = await newUser();
      const early = await api(queuePath(screeningId), { method: 'POST', token: user.accessToken });
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'QUEUE_NOT_OPEN', opensAt: expect.any(String) });
    });

    it('has no queue for a screening without a room, nor for an unknown one: 404', async () => {
      const { screeningId } = await createScreening();
      const user = await newUser();
      expect((await api(queuePath(screeningId), { method: 'POST', token: user.accessToken })).status).toBe(
        404,
      );
      const unknown = await api(queuePath(crypto.randomUUID()), { method: 'POST', token: user.accessToken });
      expect(unknown.status).toBe(404);
    });

    it('refuses a bad room: 400, nothing changed', async () => {
      const { screeningId } = await roomScreening(5 * MINUTE);
      const token = await adminToken();
      for (const waitingRoom of [
        { admitPerMinute: 0 },
        { admitPerMinute: 100_001 },
        { admitPerMinute: 10, opensBeforeMinutes: 1441 },
        { admitPerMinute: 10, extra: 1 },
      ]) {
        const refused = await api(`/api/admin/screenings/${screeningId}`, {
          method: 'PATCH',
          token,
          body: { waitingRoom },
        });
        expect(refused.status).toBe(400);
      }
      const unknownField = await api(`/api/admin/screenings/${screeningId}`, {
        method: 'PATCH',
        token,
        body: { colour: 'red' },
      });
      expect(unknownField.status).toBe(400);
      const screening = await api(`/api/admin/screenings/${screeningId}`, { token });
      expect(screening.body.waitingRoom).toEqual({ admitPerMinute: 600, opensBeforeMinutes: 30 });
    });
  });

  describe('security', () => {
    it('hides a ticket from everyone but its owner: 404', async () => {
      const { screeningId } = await roomScreening(5 * MINUTE);
      const [owner, other] = await Promise.all([newUser(), newUser()]);
      const joined = await api(queuePath(screeningId), { method: 'POST', token: owner.accessToken });
      const peek = await api(`${queuePath(screeningId)}/${joined.body.ticketId}`, {
        token: other.accessToken,
      });
      expect(peek.status).toBe(404);
      expect((await api(`${queuePath(screeningId)}/${joined.body.ticketId}`)).status).toBe(401);
    });

    it('refuses holds without a live admission of that member for that screening, before the coordinator', async () => {
      const calls: string[] = [];
      const runtime = workerRuntime(env);
      const app = createApp({ ...runtime, seats: counted(runtime.seats, calls) });
      const { screeningId, seatIds } = await roomScreening(-MINUTE);
      const other = await roomScreening(-MINUTE);
      const [alice, bob] = await Promise.all([newUser(), newUser()]);
      const secret = env.JWT_SECRET ?? '';
      const live = Date.now() + 600_000;
      const tokens = {
        none: undefined,
        junk: 'not-a-token',
        bobs: await signAdmission({ memberId: bob.id, screeningId, until: live }, secret),
        otherScreening: await signAdmission(
          { memberId: alice.id, screeningId: other.screeningId, until: live },
          secret,
        ),
        expired: await signAdmission({ memberId: alice.id, screeningId, until: Date.now() - 1000 }, secret),
        forged: await signAdmission({ memberId: alice.id, screeningId, until: live }, `${secret}-not`),
        anAccessToken: alice.accessToken,
      };
      const holdThrough = (admission?: string) =>
        app.request(
          `/api/screenings/${screeningId}/holds`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${alice.accessToken}`,
              'content-type': 'application/json',
              ...(admission ? { 'admission-token': admission } : {}),
            },
            body: JSON.stringify({ seatIds: [seatIds[0]] }),
          },
          env,
        );
      for (const [name, admission] of Object.entries(tokens)) {
        const response = await holdThrough(admission);
        expect(response.status, name).toBe(403);
        expect(((await response.json()) as { code: string }).code).toBe('ADMISSION_REQUIRED');
      }
      expect(calls).toEqual([]);
      const own = await signAdmission({ memberId: alice.id, screeningId, until: live }, secret);
      expect((await holdThrough(own)).status).toBe(201);
      expect(calls).toEqual(['hold']);
    });

    it('lets only admins see counts and change the room', async () => {
      const { screeningId } = await roomScreening(5 * MINUTE);
      const user = await newUser();
      expect(
        (await api(`/api/admin/screenings/${screeningId}/queue`, { token: user.accessToken })).status,
      ).toBe(403);
      const patch = await api(`/api/admin/screenings/${screeningId}`, {
        method: 'PATCH',
        token: user.accessToken,
        body: { waitingRoom: null },
      });
      expect(patch.status).toBe(403);
    });
  });
});
