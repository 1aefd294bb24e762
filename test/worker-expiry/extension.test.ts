// Hold extension against its cap, with HOLD_TTL_SECONDS=2 and HOLD_MAX_SECONDS=3 for this project:
// the extended deadline is the one the alarm keeps (the seats stay HOLD past the first TTL), the cap
// answers 409 HOLD_EXTENSION_LIMIT, and an expired hold 409 HOLD_EXPIRED or 404.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createScreening, fastMembers, watch } from '../worker/fixtures.ts';
import { api } from '../worker/helpers.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hold extension', () => {
  it('extends up to creation + HOLD_MAX_SECONDS, then refuses; the alarm follows the new deadline', async () => {
    const vars = env as unknown as Record<string, string>;
    expect([vars.HOLD_TTL_SECONDS, vars.HOLD_MAX_SECONDS]).toEqual(['2', '3']);
    const { screeningId, seatIds } = await createScreening();
    const [alice] = await fastMembers(1);
    const held = await api(`/api/screenings/${screeningId}/holds`, {
      method: 'POST',
      token: alice!.token,
      body: { seatIds: [seatIds[0]] },
    });
    expect(held.status).toBe(201);
    const live = await watch(screeningId);
    const extend = () =>
      api(`/api/screenings/${screeningId}/holds/${held.body.holdToken}/extend`, {
        method: 'POST',
        token: alice!.token,
      });
    await pause(1200);
    const extended = await extend();
    expect(extended.status).toBe(200);
    const created = Date.parse(held.body.expiresAt) - 2000;
    expect(Date.parse(extended.body.expiresAt)).toBe(created + 3000);
    const capped = await extend();
    expect([capped.status, capped.body.code, capped.body.expiresAt]).toEqual([
      409,
      'HOLD_EXTENSION_LIMIT',
      extended.body.expiresAt,
    ]);
    // Past the first TTL the seat is still held: the alarm was moved to the new deadline.
    await pause(Math.max(0, created + 2100 - Date.now()));
    const map = (await api(`/api/screenings/${screeningId}/seats`)).body;
    expect(map.seats.find((seat: { seatId: string }) => seat.seatId === seatIds[0]).status).toBe('HOLD');
    await expect
      .poll(() => live.messages.at(-1), { timeout: 10_000, interval: 50 })
      .toMatchObject({ type: 'seats', changes: [{ seatId: seatIds[0], status: 'AVAILABLE' }] });
    const late = await extend();
    expect([409, 404]).toContain(late.status);
    expect(['HOLD_EXPIRED', 'HOLD_NOT_FOUND']).toContain(late.body.code);
  });
});
