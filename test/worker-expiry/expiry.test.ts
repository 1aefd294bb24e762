// Hold expiry by alarm, with HOLD_TTL_SECONDS=2 for this project.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ScreeningActorBase } from '../../src/adapters/durable-object/screening-actor.ts';
import { createScreening, fastMembers, watch } from '../worker/fixtures.ts';
import { api } from '../worker/helpers.ts';

const actorOf = (screeningId: string) =>
  env.SCREENING_ACTOR.get(
    env.SCREENING_ACTOR.idFromName(screeningId),
  ) as DurableObjectStub<ScreeningActorBase>;

describe('hold expiry', () => {
  it('frees an expired hold by alarm and pushes it, with no request needed', async () => {
    expect(env.HOLD_TTL_SECONDS).toBe('2');
    const { screeningId, seatIds } = await createScreening();
    const [alice] = await fastMembers(1);
    const live = await watch(screeningId);
    const held = await api(`/api/screenings/${screeningId}/holds`, {
      method: 'POST',
      token: alice!.token,
      body: { seatIds: [seatIds[0], seatIds[1]] },
    });
    expect(held.status).toBe(201);
    const expiry = {
      type: 'seats',
      changes: expect.arrayContaining([{ seatId: seatIds[0], status: 'AVAILABLE' }]),
    };
    await expect.poll(() => live.messages.at(-1), { timeout: 10_000, interval: 50 }).toMatchObject(expiry);
    expect(live.messages.at(-1).version).toBe(live.messages[0].version + 2);
    const map = (await api(`/api/screenings/${screeningId}/seats`)).body;
    expect(map.seats.filter((seat: any) => seat.status !== 'AVAILABLE')).toEqual([]);
    expect((await api('/api/me/holds', { token: alice!.token })).body.items).toEqual([]);
    live.close();
  });

  it('changes nothing when the alarm runs again (alarms are at least once)', async () => {
    const { screeningId, seatIds } = await createScreening();
    const [alice] = await fastMembers(1);
    await api(`/api/screenings/${screeningId}/holds`, {
      method: 'POST',
      token: alice!.token,
      body: { seatIds: [seatIds[0]] },
    });
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const actor = actorOf(screeningId);
    await runDurableObjectAlarm(actor); // ran already by itself, or runs now
    const once = (await api(`/api/screenings/${screeningId}/seats`)).body;
    expect(once.seats[0].status).toBe('AVAILABLE');
    await runInDurableObject(actor, (instance) => instance.alarm());
    await runInDurableObject(actor, (instance) => instance.alarm());
    expect((await api(`/api/screenings/${screeningId}/seats`)).body).toEqual(once);
  });

  it('refuses to start paying for an expired hold with HOLD_EXPIRED or HOLD_NOT_FOUND', async () => {
    const { screeningId, seatIds } = await createScreening();
    const [alice] = await fastMembers(1);
    const actor = actorOf(screeningId);
    const made = await actor.hold(screeningId, alice!.id, [seatIds[0]!]);
    if (!made.ok) throw new Error('hold failed');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await actor.startPayment(screeningId, alice!.id, made.value.holdToken);
    expect(late.ok).toBe(false);
    expect(['HOLD_EXPIRED', 'HOLD_NOT_FOUND']).toContain(late.ok ? '' : late.error.code);
  });
});
