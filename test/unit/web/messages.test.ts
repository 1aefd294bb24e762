// What the page says when something fails: a plain sentence for every code of API.md, never the
// code, a status or JSON.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../web/src/api/api-error.ts';
import { plainMessage, seatUnavailable } from '../../../web/src/messages.ts';

const CONTRACT_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'LOGIN_ID_TAKEN',
  'SEAT_NOT_AVAILABLE',
  'HOLD_LIMIT_EXCEEDED',
  'HOLD_NOT_FOUND',
  'HOLD_EXPIRED',
  'SCREENING_OVERLAP',
  'CANCELLATION_CLOSED',
  'SALES_NOT_OPEN',
  'SALES_CLOSED',
  'RESOURCE_IN_USE',
  'IDEMPOTENCY_KEY_IN_USE',
  'PAYMENT_DECLINED',
  'IDEMPOTENCY_KEY_REUSED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'PAYMENT_GATEWAY_ERROR',
  'SERVICE_UNAVAILABLE',
  'NETWORK',
  // v1.1
  'NOT_ENOUGH_SEATS',
  'SINGLE_SEAT_GAP',
  'HOLD_EXTENSION_LIMIT',
  'PAYMENT_IN_PROGRESS',
];

describe('plain messages', () => {
  it.each(CONTRACT_CODES)('says %s in words', (code) => {
    const message = plainMessage(new ApiError(409, code, `raw detail of ${code}`));
    expect(message).toMatch(/^[A-Z].*\.$/);
    expect(message).not.toContain(code);
    expect(message).not.toMatch(/[{}]|raw detail|\b\d{3}\b/);
  });

  it('names the seats that were just taken', () => {
    const error = new ApiError(409, 'SEAT_NOT_AVAILABLE', 'x', { unavailableSeatIds: ['s1', 's2'] });
    expect(error.unavailableSeatIds).toEqual(['s1', 's2']);
    expect(plainMessage(error, 'hold', ['Row C, seat 5', 'Row C, seat 6'])).toBe(
      'Sorry, Row C, seat 5 and Row C, seat 6 were just taken by someone else. Please choose another seat.',
    );
    expect(plainMessage(error, 'hold')).toContain('just taken');
    expect(plainMessage(error, 'block', ['Row A, seat 1'])).toBe(
      'Row A, seat 1 cannot be blocked now: someone is holding it or has bought it.',
    );
  });

  it('explains the single-seat gap rule in a sentence, naming the seat it would leave alone', () => {
    const error = new ApiError(409, 'SINGLE_SEAT_GAP', 'x', { gapSeatIds: ['s4'] });
    expect(error.gapSeatIds).toEqual(['s4']);
    expect(plainMessage(error, 'hold', ['Row C, seat 4'])).toBe(
      'This screening does not leave single empty seats between others: your choice would leave Row C, seat 4 empty on its own. Add it to your choice, or choose seats that end at the aisle or next to taken seats.',
    );
    expect(plainMessage(error, 'hold', ['Row C, seat 4', 'Row D, seat 9'])).toContain(
      'would leave Row C, seat 4 and Row D, seat 9 empty on their own. Add them',
    );
  });

  it('reads the outcome of a payment as the person needs to hear it', () => {
    expect(plainMessage(new ApiError(402, 'PAYMENT_DECLINED'), 'pay')).toMatch(/^Your card was declined\./);
    expect(plainMessage(new ApiError(502, 'PAYMENT_GATEWAY_ERROR'), 'pay')).toMatch(/Nothing was charged/);
    // Both can be tried again at once: the page holds the same seats again.
    for (const code of ['PAYMENT_DECLINED', 'PAYMENT_GATEWAY_ERROR'])
      expect(plainMessage(new ApiError(402, code), 'pay')).toMatch(/try again/);
    expect(plainMessage(new ApiError(409, 'HOLD_EXPIRED'), 'pay')).toMatch(/^Your hold expired/);
    expect(plainMessage(new ApiError(409, 'IDEMPOTENCY_KEY_IN_USE'), 'pay')).toMatch(/not be charged twice/);
  });

  it('tells how long to wait when rate limited, and that the service is busy on a 5xx', () => {
    expect(plainMessage(new ApiError(429, 'RATE_LIMITED', 'x', { retryAfter: '12' }))).toBe(
      'Too many tries in a short time. Please wait 12 seconds and try again.',
    );
    expect(plainMessage(new ApiError(504, 'SOMETHING_NEW'))).toBe(
      'The service is busy right now. Please try again in a moment.',
    );
    expect(plainMessage(new Error('TypeError: x is undefined'))).toBe(
      'Something went wrong on our side. Please try again in a moment.',
    );
  });

  it('turns the fields of a 400 into hints, and a failed login into a plain refusal', () => {
    const invalid = new ApiError(400, 'VALIDATION_FAILED', 'x', {
      errors: [
        { path: 'loginId', message: 'String must match /^[a-z0-9_]{4,32}$/' },
        { path: 'password', message: 'Too small' },
      ],
    });
    expect(plainMessage(invalid, 'signup')).toBe(
      'Please check what you entered: the login id must be 4 to 32 lowercase letters, digits or _ and the password must be 8 to 72 characters.',
    );
    expect(plainMessage(new ApiError(401, 'UNAUTHORIZED'), 'login')).toBe(
      'That login id and password do not match. Please try again.',
    );
  });

  it('explains a seat that cannot be chosen by its status', () => {
    expect(seatUnavailable('Row B, seat 7', 'HOLD')).toBe(
      'Sorry, Row B, seat 7 was just taken by someone else. Please choose another seat.',
    );
    expect(seatUnavailable('Row B, seat 7', 'RESERVED')).toBe(
      'Row B, seat 7 is already sold. Please choose another seat.',
    );
    expect(seatUnavailable('Row B, seat 7', 'BLOCKED')).toBe('Row B, seat 7 is not for sale.');
  });
});
