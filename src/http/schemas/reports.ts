// Schemas of the admin sales reports (API.md, Admin: reports). Days are calendar days in TIMEZONE;
// money is whole KRW, counted when it moves (approvals by approval time, refunds by refund time).
import { z } from '@hono/zod-openapi';
import { SeatType } from './catalog.ts';

const Day = (name: 'from' | 'to') =>
  z.iso
    .date()
    .optional()
    .openapi({
      param: { name, in: 'query' },
      description: `${name === 'from' ? 'First' : 'Last'} day of the range (inclusive), a calendar day in TIMEZONE; default today`,
      example: name === 'from' ? '2026-11-01' : '2026-11-30',
    });

export const RangeQuery = z.object({ from: Day('from'), to: Day('to') });
export const TopMoviesQuery = RangeQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 10 }),
});

const Won = (description: string, example: number) =>
  z
    .number()
    .int()
    .openapi({ description: `${description} (KRW)`, example });
const Count = (description: string, example: number) => z.number().int().openapi({ description, example });
const DayString = z.string().openapi({ format: 'date', example: '2026-11-01' });

export const SalesSummary = z
  .object({
    from: DayString,
    to: DayString,
    revenue: Won('Payments approved in the range', 1_284_000),
    refunds: Won('Refunds that went through in the range', 48_000),
    netRevenue: Won('revenue − refunds', 1_236_000),
    reservations: Count('Reservations made (payments approved) in the range', 52),
    cancellations: Count('Reservations cancelled in the range', 2),
    seatsSold: Count('Seats of the reservations made in the range', 107),
    occupancy: z.number().min(0).max(1).openapi({
      description:
        'Seats sold ÷ seats on sale over the screenings starting in the range (0 when none). Sold: held by a reservation until its refund is done; on sale: not BLOCKED or DISABLED.',
      example: 0.42,
    }),
  })
  .openapi('SalesSummary', {
    example: {
      from: '2026-11-01',
      to: '2026-11-30',
      revenue: 1_284_000,
      refunds: 48_000,
      netRevenue: 1_236_000,
      reservations: 52,
      cancellations: 2,
      seatsSold: 107,
      occupancy: 0.42,
    },
  });

export const DailySalesItem = z
  .object({
    date: DayString,
    revenue: Won('Payments approved that day', 96_000),
    refunds: Won('Refunds that went through that day', 12_000),
    reservations: Count('Reservations made that day', 4),
    seatsSold: Count('Seats of the reservations made that day', 8),
  })
  .openapi('DailySales');
export const DailySalesList = z
  .object({ items: z.array(DailySalesItem).openapi({ description: 'Every day of the range, oldest first' }) })
  .openapi('DailySalesList', {
    example: {
      items: [
        { date: '2026-11-01', revenue: 96_000, refunds: 12_000, reservations: 4, seatsSold: 8 },
        { date: '2026-11-02', revenue: 0, refunds: 0, reservations: 0, seatsSold: 0 },
      ],
    },
  });

export const TopMovie = z
  .object({
    movieId: z.string(),
    title: z.string().openapi({ example: 'Paper Moons' }),
    revenue: Won('Payments approved in the range for its screenings', 480_000),
    seatsSold: Count('Seats of those reservations', 40),
  })
  .openapi('TopMovie');
export const TopMovieList = z
  .object({ items: z.array(TopMovie).openapi({ description: 'By revenue, highest first' }) })
  .openapi('TopMovieList', {
    example: {
      items: [
        {
          movieId: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10',
          title: 'Paper Moons',
          revenue: 480_000,
          seatsSold: 40,
        },
      ],
    },
  });

export const ScreeningReport = z
  .object({
    screeningId: z.string(),
    seatsTotal: Count("Seats of the screening's screen", 120),
    seatsSold: Count('Seats held by a reservation (until its refund is done)', 64),
    seatsHeld: Count('Seats HOLD or PAYMENT_PENDING right now', 6),
    seatsBlocked: Count('Seats BLOCKED or DISABLED right now', 2),
    revenue: Won('Prices of the seats sold', 812_000),
    byType: z.array(
      z.object({
        type: SeatType,
        total: Count('Seats of this type', 100),
        sold: Count('Of them sold', 52),
        revenue: Won('Prices of those sold', 624_000),
      }),
    ),
  })
  .openapi('ScreeningReport', {
    example: {
      screeningId: '0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10',
      seatsTotal: 120,
      seatsSold: 64,
      seatsHeld: 6,
      seatsBlocked: 2,
      revenue: 812_000,
      byType: [
        { type: 'STANDARD', total: 100, sold: 52, revenue: 624_000 },
        { type: 'PREMIUM', total: 20, sold: 12, revenue: 188_000 },
      ],
    },
  });

export const DAILY_SALES_CSV =
  'date,revenue,refunds,reservations,seatsSold\r\n2026-11-01,96000,12000,4,8\r\n';
export const TOP_MOVIES_CSV =
  'movieId,title,revenue,seatsSold\r\n0b7c4c8e-3f1a-4d6e-9a43-5b9d2f1e7c10,Paper Moons,480000,40\r\n';
