// An admission ends ADMISSION_SECONDS after it was given (2 s in this project): its token no longer
// lets its member hold, and the ticket says EXPIRED.
import { describe, expect, it } from 'vitest';
import { adminToken } from '../worker/catalog-helpers.ts';
import { createScreening } from '../worker/fixtures.ts';
import { api, newUser } from '../worker/helpers.ts';

describe('an admission', () => {
  it('expires: the ticket turns EXPIRED and its token is refused', async () => {
    const { screeningId, seatIds } = await createScreening({ salesOpenAt: new Date(Date.now() - 60_000) });
    const patched = await api(`/api/admin/screenings/${screeningId}`, {
      method: 'PATCH',
      token: await adminToken(),
      body: { waitingRoom: { admitPerMinute: 60, opensBeforeMinutes: 30 } },
    });
    expect(patched.status).toBe(200);
    const user = await newUser();
    const joined = await api(`/api/screenings/${screeningId}/queue`, {
      method: 'POST',
      token: user.accessToken,
    });
    expect(joined.body.status).toBe('ADMITTED');
    const until = Date.parse(joined.body.admittedUntil);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now()) + 100));
    const held = await api(`/api/screenings/${screeningId}/holds`, {
      method: 'POST',
      token: user.accessToken,
      body: { seatIds: [seatIds[0]] },
      headers: { 'admission-token': joined.body.admissionToken },
    });
    expect(held.status).toBe(403);
    expect(held.body.code).toBe('ADMISSION_REQUIRED');
    const ticket = await api(`/api/screenings/${screeningId}/queue/${joined.body.ticketId}`, {
      token: user.accessToken,
    });
    expect(ticket.body).toEqual({
      ticketId: joined.body.ticketId,
      status: 'EXPIRED',
      admittedUntil: joined.body.admittedUntil,
    });
  });
});
