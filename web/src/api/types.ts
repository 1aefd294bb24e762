// The shapes of ../shared/design/API.md that the page reads. Pure types: the unit tests import
// modules that use them under the Worker's tsconfig, which has no DOM.
export const SEAT_STATUSES = [
  'AVAILABLE',
  'HOLD',
  'PAYMENT_PENDING',
  'RESERVED',
  'RESERVATION_CANCELLED',
  'BLOCKED',
  'DISABLED',
] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

export const SEAT_TYPES = ['STANDARD', 'PREMIUM', 'VIP', 'COUPLE', 'WHEELCHAIR'] as const;
export type SeatType = (typeof SEAT_TYPES)[number];

export type Role = 'USER' | 'ADMIN';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Me {
  id: string;
  loginId: string;
  role: Role;
}

export interface Movie {
  id: string;
  title: string;
  runtimeMinutes: number;
  rating: string;
  status: string;
}

export interface Theater {
  id: string;
  name: string;
  screens: { id: string; name: string; seatCount: number }[];
}

export interface ScreeningSummary {
  id: string;
  movieId: string;
  screenId: string;
  theaterId: string;
  startTime: string;
  endTime: string;
  salesOpenAt: string;
  availableSeats: number;
}

export interface ScreeningDetail {
  id: string;
  movie: Movie;
  screen: { id: string; name: string };
  theater: { id: string; name: string };
  startTime: string;
  endTime: string;
  salesOpenAt: string;
  prices: Record<string, number>;
}

export interface Seat {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  status: SeatStatus;
  price: number;
}

export interface SeatMap {
  screeningId: string;
  version: number;
  seats: Seat[];
}

export interface SeatChange {
  seatId: string;
  status: SeatStatus;
}

export interface Hold {
  holdToken: string;
  screeningId: string;
  seatIds: string[];
  expiresAt: string;
}

export interface ReservationSeat {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  price: number;
}

export interface Reservation {
  reservationNo: string;
  status: 'CONFIRMED' | 'CANCELLED';
  screeningId: string;
  seatIds: string[];
  seats: ReservationSeat[];
  movieTitle: string;
  theaterName: string;
  screenName: string;
  startTime: string;
  totalAmount: number;
  createdAt: string;
}

export const PAYMENT_METHODS = ['CARD', 'KAKAO_PAY', 'NAVER_PAY', 'TOSS', 'BANK_TRANSFER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentResult {
  reservation: Reservation;
  payment: { id: string; status: 'APPROVED'; amount: number; method: PaymentMethod };
}

export interface CancelResult {
  reservationNo: string;
  status: 'CANCELLED';
  refund: { status: 'REFUNDED' | 'PENDING'; amount: number };
}
