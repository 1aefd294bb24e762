// The JSON the page reads, typed from the zod schemas the API validates with and documents itself
// by (src/http/schemas): the page is a client of the public API, and these imports are types only,
// erased from the bundle. Pure: the unit tests import modules that use them under the Worker's
// tsconfig, which has no DOM.
import type { z } from '@hono/zod-openapi';
import type * as admin from '../../../src/http/schemas/admin.ts';
import type * as catalog from '../../../src/http/schemas/catalog.ts';
import type * as reports from '../../../src/http/schemas/reports.ts';
import type * as sales from '../../../src/http/schemas/reservations.ts';
import type * as seats from '../../../src/http/schemas/seats.ts';
import type * as waitingRoom from '../../../src/http/schemas/waiting-room.ts';

export {
  SEAT_STATES as SEAT_STATUSES,
  type SeatState as SeatStatus,
} from '../../../src/domain/seats/seat-state.ts';
export { PAYMENT_METHODS, type PaymentMethod } from '../../../src/ports/payment-gateway.ts';

export const SEAT_TYPES = ['STANDARD', 'PREMIUM', 'VIP', 'COUPLE', 'WHEELCHAIR'] as const;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** POST /api/auth/login and /refresh. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** GET /api/me. */
export interface Me {
  id: string;
  loginId: string;
  role: 'USER' | 'ADMIN';
}

export type Movie = z.infer<typeof catalog.MovieSchema>;
export type Theater = z.infer<typeof catalog.TheaterSchema>;
export type ScreeningSummary = z.infer<typeof catalog.ScreeningSummary>;
export type ScreeningDetail = z.infer<typeof catalog.ScreeningDetail>;
export type SeatMap = z.infer<typeof seats.SeatMapSchema>;
export type Seat = SeatMap['seats'][number];
export type SeatChange = Pick<Seat, 'seatId' | 'status'>;
export type Hold = z.infer<typeof seats.HoldSchema>;
export type Reservation = z.infer<typeof sales.ReservationSchema>;
export type AdminReservation = z.infer<typeof admin.AdminReservation>;
export type PaymentResult = z.infer<typeof sales.PaymentResultSchema>;
export type CancelResult = z.infer<typeof sales.CancelResultSchema>;
export type SalesSummary = z.infer<typeof reports.SalesSummary>;
export type DailySales = z.infer<typeof reports.DailySalesItem>;
export type TopMovie = z.infer<typeof reports.TopMovie>;
export type ScreeningReport = z.infer<typeof reports.ScreeningReport>;
export type QueueTicket = z.infer<typeof waitingRoom.QueueTicketSchema>;
export type QueueCounts = z.infer<typeof waitingRoom.QueueCountsSchema>;
