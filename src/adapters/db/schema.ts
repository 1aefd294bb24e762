// The Postgres schema: the system of record for members, catalog, reservations, payments and the
// durable seat states. Constraints here hold even when application code is wrong.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });
const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);

export const ROLES = ['USER', 'ADMIN'] as const;
export const MOVIE_STATUSES = ['UPCOMING', 'SHOWING', 'ENDED'] as const;
export const RATINGS = ['ALL', '12', '15', '19'] as const;
export const SEAT_TYPES = ['STANDARD', 'PREMIUM', 'VIP', 'COUPLE', 'WHEELCHAIR'] as const;
export const ADMIN_SEAT_STATES = ['BLOCKED', 'DISABLED'] as const;
export const RESERVATION_STATUSES = ['CONFIRMED', 'CANCELLED'] as const;
export const PAYMENT_METHODS = ['CARD', 'KAKAO_PAY', 'NAVER_PAY', 'TOSS', 'BANK_TRANSFER'] as const;
export const PAYMENT_STATUSES = ['PENDING', 'APPROVED', 'DECLINED', 'FAILED', 'REFUNDED'] as const;
export const REFUND_STATUSES = ['PENDING', 'REFUNDED', 'FAILED'] as const;
export const IDEMPOTENCY_STATES = ['IN_PROGRESS', 'DONE'] as const;
export const LEDGER_KINDS = ['CHARGE', 'REFUND'] as const;
export const LEDGER_OUTCOMES = ['APPROVED', 'DECLINED', 'TIMEOUT'] as const;

export const members = pgTable(
  'members',
  {
    id: id(),
    loginId: text('login_id').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull().default('USER'),
    createdAt: createdAt(),
  },
  () => [check('members_role_check', inList('role', ROLES))],
);

/**
 * When a member's logins last ended: written by a trigger (migration 0004) whenever a member's
 * password or role changes or the member is deleted, which also revokes its refresh tokens. Access
 * tokens issued before that moment are refused. No foreign key: a deleted member's row must stay.
 */
export const loginRevocations = pgTable('login_revocations', {
  memberId: uuid('member_id').primaryKey(),
  revokedAt: at('revoked_at').notNull().defaultNow(),
});

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);

export const movies = pgTable(
  'movies',
  {
    id: id(),
    title: text('title').notNull(),
    runtimeMinutes: integer('runtime_minutes').notNull(),
    rating: text('rating', { enum: RATINGS }).notNull(),
    status: text('status', { enum: MOVIE_STATUSES }).notNull(),
    /** An https address of the poster image, or null (the page shows a placeholder). */
    posterUrl: text('poster_url'),
    createdAt: createdAt(),
  },
  (t) => [
    check('movies_runtime_check', sql`${t.runtimeMinutes} between 1 and 1000`),
    check('movies_poster_url_check', sql`${t.posterUrl} ~ '^https://'`),
    check('movies_rating_check', inList('rating', RATINGS)),
    check('movies_status_check', inList('status', MOVIE_STATUSES)),
  ],
);

export const theaters = pgTable('theaters', {
  id: id(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const screens = pgTable(
  'screens',
  {
    id: id(),
    theaterId: uuid('theater_id')
      .notNull()
      .references(() => theaters.id),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('screens_theater_name_unique').on(t.theaterId, t.name)],
);

export const seats = pgTable(
  'seats',
  {
    id: id(),
    screenId: uuid('screen_id')
      .notNull()
      .references(() => screens.id),
    rowLabel: text('row_label').notNull(),
    seatNo: integer('seat_no').notNull(),
    type: text('type', { enum: SEAT_TYPES }).notNull(),
    /** Out of order: every screening not yet started shows it DISABLED (admin disable/enable). */
    disabled: boolean('disabled').notNull().default(false),
    disabledReason: text('disabled_reason'),
  },
  (t) => [
    unique('seats_screen_position_unique').on(t.screenId, t.rowLabel, t.seatNo),
    check('seats_type_check', inList('type', SEAT_TYPES)),
    check('seats_no_check', sql`${t.seatNo} >= 1`),
  ],
);

export const screenings = pgTable(
  'screenings',
  {
    id: id(),
    movieId: uuid('movie_id')
      .notNull()
      .references(() => movies.id),
    screenId: uuid('screen_id')
      .notNull()
      .references(() => screens.id),
    startTime: at('start_time').notNull(),
    endTime: at('end_time').notNull(),
    salesOpenAt: at('sales_open_at').notNull(),
    /** Price in KRW per seat type, e.g. {"STANDARD": 12000}. */
    prices: jsonb('prices').$type<Record<string, number>>().notNull(),
    /** ALLOW or PREVENT: whether holds may leave a single seat alone in its row (API.md, Single-seat gaps). */
    singleSeatGaps: text('single_seat_gaps').$type<'ALLOW' | 'PREVENT'>().notNull().default('ALLOW'),
    /** Kept by the seat coordinator so screening lists need no call per screening. */
    availableSeats: integer('available_seats').notNull().default(0),
    /** The seat-map version availableSeats was written at; older writes lose (they arrive out of order). */
    seatsVersion: bigint('seats_version', { mode: 'number' }).notNull().default(0),
    /** The sale's waiting room (API.md, Waiting room), or null for none. */
    waitingRoom: jsonb('waiting_room').$type<{ admitPerMinute: number; opensBeforeMinutes: number }>(),
    /** When the finished screening's coordinator state was purged (the cron trigger). */
    actorPurgedAt: at('actor_purged_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('screenings_start_idx').on(t.startTime),
    index('screenings_movie_idx').on(t.movieId),
    check('screenings_time_check', sql`${t.endTime} > ${t.startTime}`),
    check('screenings_sales_check', sql`${t.salesOpenAt} <= ${t.startTime}`),
    check('screenings_single_seat_gaps_check', inList('single_seat_gaps', ['ALLOW', 'PREVENT'])),
    // screenings_no_overlap (EXCLUDE USING gist) is in the hand-written migration.
  ],
);

/** Durable admin seat states of one screening (BLOCKED, DISABLED); RESERVED comes from reservations. */
export const screeningSeatStates = pgTable(
  'screening_seat_states',
  {
    screeningId: uuid('screening_id')
      .notNull()
      .references(() => screenings.id, { onDelete: 'cascade' }),
    seatId: uuid('seat_id')
      .notNull()
      .references(() => seats.id),
    status: text('status', { enum: ADMIN_SEAT_STATES }).notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.screeningId, t.seatId] }),
    check('screening_seat_states_status_check', inList('status', ADMIN_SEAT_STATES)),
  ],
);

/** Which screenings a member recently held seats in, so GET /api/me/holds asks only those coordinators. */
export const memberHolds = pgTable(
  'member_holds',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    screeningId: uuid('screening_id')
      .notNull()
      .references(() => screenings.id, { onDelete: 'cascade' }),
    heldAt: at('held_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.screeningId] }),
    index('member_holds_held_idx').on(t.memberId, t.heldAt),
  ],
);

/** Fencing tokens for the Redis coordinator's per-screening commit lease. */
export const screeningFence = pgTable('screening_fence', {
  screeningId: uuid('screening_id')
    .primaryKey()
    .references(() => screenings.id, { onDelete: 'cascade' }),
  token: bigint('token', { mode: 'number' }).notNull().default(0),
});

export const reservations = pgTable(
  'reservations',
  {
    id: id(),
    reservationNo: text('reservation_no').notNull().unique(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    screeningId: uuid('screening_id')
      .notNull()
      .references(() => screenings.id),
    holdToken: text('hold_token').notNull().unique(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('CONFIRMED'),
    totalAmount: integer('total_amount').notNull(),
    /** How many seats it sold (fixed once sold): the sales reports count seats without reading each one. */
    seatCount: integer('seat_count').notNull(),
    createdAt: createdAt(),
    cancelledAt: at('cancelled_at'),
  },
  (t) => [
    index('reservations_member_idx').on(t.memberId, t.createdAt),
    index('reservations_screening_idx').on(t.screeningId),
    // Sales reports: approvals by approval time (the reservation is made in the approving transaction).
    // It carries what the reports add up, so they read the index alone, not the rows it points to.
    index('reservations_created_idx').on(t.createdAt, t.screeningId, t.totalAmount, t.seatCount),
    // Sales reports: cancellations by cancellation time.
    index('reservations_cancelled_idx').on(t.cancelledAt).where(sql`${t.cancelledAt} is not null`),
    check('reservations_status_check', inList('status', RESERVATION_STATUSES)),
    check('reservations_amount_check', sql`${t.totalAmount} >= 0`),
    check('reservations_seat_count_check', sql`${t.seatCount} >= 1`),
  ],
);

export const reservationSeats = pgTable(
  'reservation_seats',
  {
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id),
    screeningId: uuid('screening_id')
      .notNull()
      .references(() => screenings.id),
    seatId: uuid('seat_id')
      .notNull()
      .references(() => seats.id),
    price: integer('price').notNull(),
    /** True while the seat is sold by this reservation; cleared when the refund frees it. */
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.reservationId, t.seatId] }),
    // No seat is ever sold twice, whatever the coordinator does.
    uniqueIndex('reservation_seats_one_active_idx').on(t.screeningId, t.seatId).where(sql`${t.active}`),
    check('reservation_seats_price_check', sql`${t.price} >= 0`),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    screeningId: uuid('screening_id')
      .notNull()
      .references(() => screenings.id),
    reservationId: uuid('reservation_id').references(() => reservations.id),
    holdToken: text('hold_token').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    amount: integer('amount').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('PENDING'),
    seatIds: jsonb('seat_ids').$type<string[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('payments_member_key_unique').on(t.memberId, t.idempotencyKey),
    index('payments_hold_idx').on(t.holdToken),
    index('payments_status_idx').on(t.status, t.createdAt),
    check('payments_method_check', inList('method', PAYMENT_METHODS)),
    check('payments_status_check', inList('status', PAYMENT_STATUSES)),
    check('payments_amount_check', sql`${t.amount} >= 0`),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    id: id(),
    paymentId: uuid('payment_id')
      .notNull()
      .unique()
      .references(() => payments.id),
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id),
    amount: integer('amount').notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    completedAt: at('completed_at'),
  },
  (t) => [
    // Sales reports: refunds by refund time.
    index('refunds_completed_idx').on(t.completedAt).where(sql`${t.status} = 'REFUNDED'`),
    check('refunds_status_check', inList('status', REFUND_STATUSES)),
    check('refunds_amount_check', sql`${t.amount} >= 0`),
  ],
);

/** Idempotency-Key records of POST /api/payments, scoped to the caller, kept at least 24 h. */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state', { enum: IDEMPOTENCY_STATES }).notNull().default('IN_PROGRESS'),
    leaseUntil: at('lease_until').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.key] }),
    index('idempotency_records_created_idx').on(t.createdAt),
    check('idempotency_records_state_check', inList('state', IDEMPOTENCY_STATES)),
  ],
);

/** The mock payment gateway's own ledger, so any isolate or process can look an attempt up by key. */
export const gatewayLedger = pgTable(
  'gateway_ledger',
  {
    id: id(),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    amount: integer('amount').notNull(),
    cardLast4: text('card_last4'),
    outcome: text('outcome', { enum: LEDGER_OUTCOMES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('gateway_ledger_kind_key_unique').on(t.kind, t.idempotencyKey),
    check('gateway_ledger_kind_check', inList('kind', LEDGER_KINDS)),
    check('gateway_ledger_outcome_check', inList('outcome', LEDGER_OUTCOMES)),
  ],
);
