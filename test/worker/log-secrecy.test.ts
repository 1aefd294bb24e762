// Whatever the API logs while people sign up, log in, refresh, pay and fail, no password, token or
// card number reaches a log line; and every line written inside a request carries its request id.
// The Worker runs with wrangler.toml's REQUEST_LOG=notable: request lines are written for the refused
// credentials and the gateway's failure here, not for the answers the platform's own request log covers.
import { describe, expect, it } from 'vitest';
import { CARDS, createScreening, holdSeats, payFor } from './fixtures.ts';
import { api, uniqueLoginId } from './helpers.ts';
import { captureLogs } from './log-capture.ts';

describe('log secrecy', () => {
  it('keeps passwords, tokens and card numbers out of every log line', async () => {
    const { screeningId, seatIds } = await createScreening({ seats: 6 });
    const logs = captureLogs();
    try {
      const loginId = uniqueLoginId('secret');
      const password = 'correct-horse-battery-9';
      expect((await api('/api/auth/signup', { method: 'POST', body: { loginId, password } })).status).toBe(
        201,
      );
      const wrong = await api('/api/auth/login', {
        method: 'POST',
        body: { loginId, password: 'Wrong-Pass-77' },
      });
      expect(wrong.status).toBe(401);
      const tokens = (await api('/api/auth/login', { method: 'POST', body: { loginId, password } })).body;
      const rotated = (
        await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: tokens.refreshToken } })
      ).body;
      // A reused refresh token is refused, and its family revoked.
      expect(
        (await api('/api/auth/refresh', { method: 'POST', body: { refreshToken: tokens.refreshToken } }))
          .status,
      ).toBe(401);
      const relogin = (await api('/api/auth/login', { method: 'POST', body: { loginId, password } })).body;
      const token = relogin.accessToken;

      const approved = await payFor(await holdSeats(screeningId, token, [seatIds[0]!]), token);
      expect(approved.status).toBe(201);
      const declined = await payFor(await holdSeats(screeningId, token, [seatIds[1]!]), token, {
        cardNumber: CARDS.decline,
      });
      expect(declined.status).toBe(402);
      const failed = await payFor(await holdSeats(screeningId, token, [seatIds[2]!]), token, {
        cardNumber: CARDS.timeout,
      });
      expect(failed.status).toBe(502);
      const badCard = await payFor(await holdSeats(screeningId, token, [seatIds[3]!]), token, {
        cardNumber: '5555555555554444',
      });
      expect(badCard.status).toBe(400);
      await api(`/api/reservations/${approved.body.reservation.reservationNo}/cancel`, {
        method: 'POST',
        token,
      });
      const released = await holdSeats(screeningId, token, [seatIds[4]!]);
      const release = await api(`/api/screenings/${screeningId}/holds/${released.holdToken}`, {
        method: 'DELETE',
        token,
      });
      expect(release.status).toBe(204);

      const text = logs.text();
      const secrets = [
        password,
        'Wrong-Pass-77',
        tokens.accessToken,
        tokens.refreshToken,
        rotated.accessToken,
        rotated.refreshToken,
        relogin.accessToken,
        relogin.refreshToken,
        CARDS.approve,
        CARDS.decline,
        CARDS.timeout,
        '5555555555554444',
        released.holdToken,
      ];
      for (const secret of secrets) expect(text).not.toContain(secret);

      const requestLines = logs.lines().filter((line) => line.message === 'request');
      // The wrong password, the reused refresh token and the gateway's timeout (502); none of the
      // 2xx, 402 and 400 answers.
      expect(requestLines.map((line) => line.status)).toEqual([401, 401, 502]);
      for (const line of requestLines) expect(line.requestId).toMatch(/^[\w-]+$/);
    } finally {
      logs.restore();
    }
  });
});
