// Denial of inventory (issue 15 item 3) with this project's small settings: one address holds at most
// HOLD_SEATS_PER_IP_PER_HOUR (6) seats an hour whoever its members are, refused holds cost nothing,
// and a member holds seats in at most HELD_SCREENINGS_PER_MEMBER (2) screenings at once, even when
// the holds are sent to several screenings at the same moment.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createScreening, fastMembers } from '../worker/fixtures.ts';
import { api } from '../worker/helpers.ts';

let addresses = 0;
/** Settings of this project that wrangler.toml does not declare. */
const vars = env as unknown as Record<string, string>;
const newIp = () => `198.19.${Math.floor(Math.random() * 250)}.${addresses++ % 250}`;

const hold = (ip: string, token: string, screeningId: string, body: object) =>
  api(`/api/screenings/${screeningId}/holds`, {
    method: 'POST',
    token,
    body,
    headers: { 'cf-connecting-ip': ip },
  });

describe('hold budgets', () => {
  it('gives one address HOLD_SEATS_PER_IP_PER_HOUR seats an hour across its members; refusals cost nothing', async () => {
    expect(vars.HOLD_SEATS_PER_IP_PER_HOUR).toBe('6');
    const { screeningId, seatIds } = await createScreening({ seats: 20 });
    const [a, b, c] = await fastMembers(3);
    const ip = newIp();
    expect((await hold(ip, a!.token, screeningId, { seatIds: seatIds.slice(0, 4) })).status).toBe(201);
    // A refused hold (a taken seat) is given back.
    const taken = await hold(ip, b!.token, screeningId, { seatIds: [seatIds[0]!] });
    expect([taken.status, taken.body.code]).toEqual([409, 'SEAT_NOT_AVAILABLE']);
    const over = await hold(ip, b!.token, screeningId, { seatIds: seatIds.slice(4, 7) });
    expect([over.status, over.body.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(50 * 60);
    expect((await hold(ip, b!.token, screeningId, { seatIds: seatIds.slice(4, 6) })).status).toBe(201);
    expect((await hold(ip, c!.token, screeningId, { best: { count: 1 } })).status).toBe(429);
    // Another address is not affected.
    expect((await hold(newIp(), c!.token, screeningId, { best: { count: 2 } })).status).toBe(201);
  });

  it('lets a member hold seats in HELD_SCREENINGS_PER_MEMBER screenings at once, takes back the one over', async () => {
    expect(vars.HELD_SCREENINGS_PER_MEMBER).toBe('2');
    const screenings = await Promise.all([1, 2, 3].map(() => createScreening({ seats: 4 })));
    const [member] = await fastMembers(1);
    const [first, second, third] = screenings;
    const h1 = await hold(newIp(), member!.token, first!.screeningId, { seatIds: [first!.seatIds[0]] });
    expect(h1.status).toBe(201);
    expect(
      (await hold(newIp(), member!.token, second!.screeningId, { seatIds: [second!.seatIds[0]] })).status,
    ).toBe(201);
    const refused = await hold(newIp(), member!.token, third!.screeningId, { seatIds: [third!.seatIds[0]] });
    expect([refused.status, refused.body.code, refused.body.limit]).toEqual([
      409,
      'SCREENING_LIMIT_EXCEEDED',
      2,
    ]);
    expect([...refused.body.screeningIds].sort()).toEqual([first!.screeningId, second!.screeningId].sort());
    const map = (await api(`/api/screenings/${third!.screeningId}/seats`)).body;
    expect(map.seats.every((seat: { status: string }) => seat.status === 'AVAILABLE')).toBe(true);
    // The member-hold index is written behind (within a second of the 201).
    await expect
      .poll(async () =>
        (await api('/api/me/holds', { token: member!.token })).body.items
          .map((item: { screeningId: string }) => item.screeningId)
          .sort(),
      )
      .toEqual([first!.screeningId, second!.screeningId].sort());
  });

  it('never grants more screenings than the limit to holds sent at the same moment', async () => {
    // Three at once: HOLDS_PER_USER_PER_MINUTE is 3 here.
    const screenings = await Promise.all([1, 2, 3].map(() => createScreening({ seats: 2 })));
    const [member] = await fastMembers(1);
    const answers = await Promise.all(
      screenings.map((s) => hold(newIp(), member!.token, s.screeningId, { seatIds: [s.seatIds[0]] })),
    );
    const granted = answers.filter((answer) => answer.status === 201).length;
    expect(granted).toBeLessThanOrEqual(2);
    for (const answer of answers)
      if (answer.status !== 201) expect(answer.body.code).toBe('SCREENING_LIMIT_EXCEEDED');
    await expect
      .poll(
        async () =>
          new Set(
            (await api('/api/me/holds', { token: member!.token })).body.items.map(
              (item: { screeningId: string }) => item.screeningId,
            ),
          ).size,
      )
      .toBe(granted);
  });
});
