// How the page writes seats, money and the countdown (web/src/format.ts, src/domain/seats/seat-counts.ts).
import { describe, expect, it } from 'vitest';
import { countSeats } from '../../../src/domain/seats/seat-counts.ts';
import { SEAT_STATUSES } from '../../../web/src/api/types.ts';
import {
  cinemaDate,
  countdownAnnouncement,
  formatCountdown,
  formatTime,
  formatWhen,
  listInWords,
  seatLabel,
  setTimeZone,
  zoneInWords,
} from '../../../web/src/format.ts';

describe('seat words', () => {
  it('labels a seat button with row, number, type, status and price', () => {
    const seat = { rowLabel: 'B', seatNo: 7, type: 'VIP', price: 15000 };
    expect(seatLabel(seat, 'AVAILABLE')).toBe('Row B, seat 7, VIP, available, 15,000 won');
    expect(seatLabel(seat, 'HOLD')).toBe('Row B, seat 7, VIP, held by someone, 15,000 won');
    expect(seatLabel(seat, 'HOLD', true)).toBe('Row B, seat 7, VIP, held by you, 15,000 won');
    expect(seatLabel({ ...seat, type: 'WHEELCHAIR' }, 'BLOCKED')).toBe(
      'Row B, seat 7, Wheelchair space, blocked, 15,000 won',
    );
  });

  it('lists in words', () => {
    expect([
      listInWords([]),
      listInWords(['a']),
      listInWords(['a', 'b']),
      listInWords(['a', 'b', 'c']),
    ]).toEqual(['', 'a', 'a and b', 'a, b and c']);
  });

  it("writes days and times in the cinema's zone, whatever the device's", () => {
    // 16:06 UTC on 1 Dec is already 2 Dec in Seoul, and still 1 Dec in New York.
    const instant = new Date('2026-12-01T16:06:00Z');
    setTimeZone('Asia/Seoul');
    expect([cinemaDate(0, instant), cinemaDate(1, instant), cinemaDate(-1, instant)]).toEqual([
      '2026-12-02',
      '2026-12-03',
      '2026-12-01',
    ]);
    expect([formatTime(instant.toISOString()), formatWhen(instant.toISOString())]).toEqual([
      '01:06',
      'Wed 2 Dec, 01:06',
    ]);
    expect(zoneInWords(instant)).toBe('Seoul time (GMT+9)');
    setTimeZone('America/New_York');
    expect([cinemaDate(0, instant), formatTime(instant.toISOString()), zoneInWords(instant)]).toEqual([
      '2026-12-01',
      '11:06',
      'New York time (GMT-5)',
    ]);
  });

  it('counts sold, held, free and blocked seats', () => {
    expect(countSeats(SEAT_STATUSES.map((status) => ({ status })))).toEqual({
      sold: 2,
      held: 2,
      free: 1,
      blocked: 2,
    });
  });
});

describe('countdown', () => {
  it('shows minutes and seconds, never below zero', () => {
    expect([
      formatCountdown(299_001),
      formatCountdown(61_000),
      formatCountdown(9_000),
      formatCountdown(-5),
    ]).toEqual(['5:00', '1:01', '0:09', '0:00']);
  });

  it('speaks at each whole minute and at 30 and 10 seconds, and nowhere else', () => {
    const spoken: string[] = [];
    for (let left = 300; left > 0; left--) {
      const text = countdownAnnouncement(left, left - 1);
      if (text) spoken.push(text);
    }
    expect(spoken).toEqual([
      '4 minutes left to pay.',
      '3 minutes left to pay.',
      '2 minutes left to pay.',
      '1 minute left to pay.',
      '30 seconds left to pay.',
      '10 seconds left to pay.',
    ]);
    expect(countdownAnnouncement(250, 232)).toBe('4 minutes left to pay.'); // a throttled tab skips ahead
  });
});
