// How the page writes money, times, seats and statuses in words. Dates and times are the cinema's:
// in the zone the API names (GET /api/theaters, `timeZone`), whatever zone the browser is in. Pure:
// unit-tested in Node.
import { addDays, localDate } from '../../src/domain/time.ts';
import type { SeatStatus } from './api/types.ts';

const won = new Intl.NumberFormat('en-US');
export const formatWon = (amount: number) => `${won.format(amount)} won`;

let zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
const inZone = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone });
let time = inZone({ hour: '2-digit', minute: '2-digit', hour12: false });
let day = inZone({ weekday: 'short', day: 'numeric', month: 'short' });

/** From now on every date and time is written in `timeZone` (an IANA zone, the cinema's). */
export function setTimeZone(timeZone: string): void {
  zone = timeZone;
  time = inZone({ hour: '2-digit', minute: '2-digit', hour12: false });
  day = inZone({ weekday: 'short', day: 'numeric', month: 'short' });
}
export const timeZone = () => zone;

/** "Seoul time (GMT+9)": the cinema's zone in words, said once on the page. */
export function zoneInWords(at = new Date()): string {
  const offset = inZone({ timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  const place = zone.split('/').pop()?.replace(/_/g, ' ') ?? zone;
  return `${place} time${offset ? ` (${offset})` : ''}`;
}

export const formatTime = (iso: string) => time.format(new Date(iso));
export const formatDay = (iso: string) => day.format(new Date(iso));
export const formatWhen = (iso: string) => `${formatDay(iso)}, ${formatTime(iso)}`;

/** YYYY-MM-DD of the cinema's calendar day `offsetDays` after the one `from` falls on there. */
export const cinemaDate = (offsetDays = 0, from = new Date()) => addDays(localDate(from, zone), offsetDays);

export const TYPE_NAMES: Record<string, string> = {
  STANDARD: 'Standard',
  PREMIUM: 'Premium',
  VIP: 'VIP',
  COUPLE: 'Couple seat',
  WHEELCHAIR: 'Wheelchair space',
};
export const typeName = (type: string) => TYPE_NAMES[type] ?? type.toLowerCase();

export const STATUS_NAMES: Record<SeatStatus, string> = {
  AVAILABLE: 'available',
  HOLD: 'held by someone',
  PAYMENT_PENDING: 'being paid for',
  RESERVED: 'sold',
  RESERVATION_CANCELLED: 'being refunded',
  BLOCKED: 'blocked',
  DISABLED: 'out of service',
};

export interface SeatPlace {
  rowLabel: string;
  seatNo: number;
}
export const seatName = (seat: SeatPlace) => `Row ${seat.rowLabel}, seat ${seat.seatNo}`;

/** What a screen reader says for a seat button: "Row B, seat 7, VIP, available, 20,000 won". */
export function seatLabel(
  seat: SeatPlace & { type: string; price: number },
  status: SeatStatus,
  heldByMe = false,
): string {
  const state = heldByMe ? 'held by you' : STATUS_NAMES[status];
  return `${seatName(seat)}, ${typeName(seat.type)}, ${state}, ${formatWon(seat.price)}`;
}

/** "a", "a and b", "a, b and c". */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** "4:05" for a countdown; never negative. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * What to say aloud as a hold counts down: each whole minute, then 30 and 10 seconds. Called every
 * tick with the seconds left before and now; undefined when nothing is worth interrupting for.
 */
export function countdownAnnouncement(before: number, now: number): string | undefined {
  if (now >= before || now <= 0) return undefined;
  for (const mark of [30, 10]) if (before > mark && now <= mark) return `${mark} seconds left to pay.`;
  if (now >= 60 && Math.floor((now - 1) / 60) < Math.floor((before - 1) / 60)) {
    return `${plural(Math.ceil(now / 60), 'minute')} left to pay.`;
  }
  return undefined;
}
