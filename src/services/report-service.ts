// The admin sales reports (API.md, Admin: reports): a range of days in TIMEZONE, the figures
// aggregated by Postgres, every day of the range present, and one screening's report combining what
// is sold (Postgres) with what is held and blocked right now (the seat coordinator).
import type { Database } from '../adapters/db/client.ts';
import {
  cancellationsIn,
  type DayRange,
  type MovieSales,
  occupancyOf,
  refundsByDay,
  salesByDay,
  screeningSalesByType,
  topMovies,
} from '../adapters/db/report-repository.ts';
import { SEAT_TYPES } from '../adapters/db/schema.ts';
import { AppError } from '../domain/errors.ts';
import { countSeats } from '../domain/seats/index.ts';
import { addDays, localDate } from '../domain/time.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';
import { unwrap } from './seat-results.ts';

/** The longest range a report covers, in days (a leap year). */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;

/** `from`/`to` default to today in `timeZone`; refused when backwards or longer than 366 days. */
export function reportRange(
  query: { from?: string; to?: string },
  timeZone: string,
  now = new Date(),
): DayRange {
  const today = localDate(now, timeZone);
  const from = query.from ?? today;
  const to = query.to ?? today;
  const days = daysBetween(from, to);
  if (days < 1)
    throw invalidRange('to', `${to} is before ${from}: a range runs from its first day to its last`);
  if (days > MAX_REPORT_DAYS)
    throw invalidRange('to', `the range covers ${days} days; at most ${MAX_REPORT_DAYS} are allowed`);
  return { from, to, timeZone };
}

const invalidRange = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

export interface DailySales {
  date: string;
  revenue: number;
  refunds: number;
  reservations: number;
  seatsSold: number;
}

/** One row per day of the range, oldest first, zeros where nothing moved. */
export async function dailySales(db: Database, range: DayRange): Promise<DailySales[]> {
  const [sales, refunds] = await Promise.all([salesByDay(db, range), refundsByDay(db, range)]);
  const salesOf = new Map(sales.map((day) => [day.date, day]));
  const refundsOf = new Map(refunds.map((day) => [day.date, day.refunds]));
  const days: DailySales[] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    const sold = salesOf.get(date);
    days.push({
      date,
      revenue: sold?.revenue ?? 0,
      refunds: refundsOf.get(date) ?? 0,
      reservations: sold?.reservations ?? 0,
      seatsSold: sold?.seatsSold ?? 0,
    });
  }
  return days;
}

export async function salesSummary(db: Database, range: DayRange) {
  const [days, cancellations, occupancy] = await Promise.all([
    dailySales(db, range),
    cancellationsIn(db, range),
    occupancyOf(db, range),
  ]);
  const sum = (field: 'revenue' | 'refunds' | 'reservations' | 'seatsSold') =>
    days.reduce((total, day) => total + day[field], 0);
  const revenue = sum('revenue');
  const refunds = sum('refunds');
  return {
    from: range.from,
    to: range.to,
    revenue,
    refunds,
    netRevenue: revenue - refunds,
    reservations: sum('reservations'),
    cancellations,
    seatsSold: sum('seatsSold'),
    occupancy: occupancy.onSale > 0 ? occupancy.sold / occupancy.onSale : 0,
  };
}

export async function topMoviesIn(db: Database, range: DayRange, limit: number): Promise<MovieSales[]> {
  return topMovies(db, range, limit);
}

/** Sold and revenue from Postgres; held and blocked as the coordinator has them now. */
export async function screeningReport(db: Database, coordinator: SeatCoordinator, screeningId: string) {
  const [byType, map] = await Promise.all([
    screeningSalesByType(db, screeningId),
    coordinator.snapshot(screeningId),
  ]);
  const now = countSeats(unwrap(map).seats);
  const ordered = [...byType].sort((a, b) => typeRank(a.type) - typeRank(b.type));
  const sum = (field: 'total' | 'sold' | 'revenue') => ordered.reduce((total, row) => total + row[field], 0);
  return {
    screeningId,
    seatsTotal: sum('total'),
    seatsSold: sum('sold'),
    seatsHeld: now.held,
    seatsBlocked: now.blocked,
    revenue: sum('revenue'),
    byType: ordered,
  };
}

const typeRank = (type: string) => SEAT_TYPES.indexOf(type as (typeof SEAT_TYPES)[number]);
