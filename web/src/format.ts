// How the page writes money, times, seats and statuses in words. Pure: unit-tested in Node.
import type { SeatStatus } from './api/types.ts';

const won = new Intl.NumberFormat('en-US');
export const formatWon = (amount: number) => `${won.format(amount)} won`;

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
export const formatTime = (iso: string) => time.format(new Date(iso));
export const formatDay = (iso: string) => day.format(new Date(iso));
export const formatWhen = (iso: string) => `${formatDay(iso)}, ${formatTime(iso)}`;

/** YYYY-MM-DD of a local calendar day, `offsetDays` after `from`. */
export function localDate(from: Date, offsetDays = 0): string {
  const date = new Date(from.getFullYear(), from.getMonth(), from.getDate() + offsetDays);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

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
