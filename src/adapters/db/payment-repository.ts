// Payments and Idempotency-Key records. Every write that may race a settlement is conditional on
// the state it expects, so a late request and the coordinator's settlement can never both win.
// The request path costs one statement per step: the key claimed (step 2), the seats priced and the
// PENDING row written (step 4), the commit (step 6, commit_payments in reservation-repository.ts).
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PaymentMethod } from '../../ports/payment-gateway.ts';
import type { Database } from './client.ts';
import { idempotencyRecords, payments } from './schema.ts';
import { rowsOf } from './statements.ts';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  /** Another request holds the key: its lease ends in `retryAfter` seconds (at least 1). */
  | { kind: 'in-use'; retryAfter: number }
  | { kind: 'reused' };

/**
 * Step 2, in one statement: claim the key as IN_PROGRESS with a lease, take over one whose lease
 * ran out (same request only), or say why not.
 */
export async function claimIdempotencyKey(
  db: Database,
  memberId: string,
  key: string,
  requestHash: string,
  leaseMs: number,
): Promise<Claim> {
  const leaseUntil = new Date(Date.now() + leaseMs).toISOString();
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await rowsOf<{
      claimed: boolean;
      request_hash: string | null;
      state: string | null;
      response_status: number | null;
      response_body: unknown;
      lease_seconds: number | null;
    }>(
      db,
      sql`with inserted as (
            insert into idempotency_records (member_id, key, request_hash, lease_until)
            values (${memberId}, ${key}, ${requestHash}, ${leaseUntil})
            on conflict do nothing returning 1
          ), taken as (
            update idempotency_records set lease_until = ${leaseUntil}
            where member_id = ${memberId} and key = ${key} and request_hash = ${requestHash}
              and state = 'IN_PROGRESS' and lease_until <= now()
            returning 1
          )
          select exists (select 1 from inserted) or exists (select 1 from taken) as claimed,
                 r.request_hash, r.state, r.response_status, r.response_body,
                 ceil(extract(epoch from r.lease_until - now()))::int as lease_seconds
          from (select 1) as one
          left join idempotency_records r on r.member_id = ${memberId} and r.key = ${key}`,
      'claim-idempotency-key',
    );
    if (row?.claimed) return { kind: 'claimed' };
    // Inserted by a request whose transaction ended after this statement began: read it again.
    if (!row?.request_hash) continue;
    if (row.request_hash !== requestHash) return { kind: 'reused' };
    if (row.state === 'DONE')
      return { kind: 'replay', status: row.response_status ?? 500, body: row.response_body };
    return { kind: 'in-use', retryAfter: Math.max(1, row.lease_seconds ?? 1) };
  }
  return { kind: 'in-use', retryAfter: 1 };
}

/** The stored final answer of a key, if it has one. */
export async function storedAnswer(
  db: Database,
  memberId: string,
  key: string,
): Promise<{ status: number; body: unknown } | undefined> {
  const [record] = await db
    .select()
    .from(idempotencyRecords)
    .where(and(eq(idempotencyRecords.memberId, memberId), eq(idempotencyRecords.key, key)));
  return record?.state === 'DONE'
    ? { status: record.responseStatus ?? 500, body: record.responseBody }
    : undefined;
}

/** The key's record while its request is still IN_PROGRESS. */
const inProgress = (memberId: string, key: string) =>
  and(
    eq(idempotencyRecords.memberId, memberId),
    eq(idempotencyRecords.key, key),
    eq(idempotencyRecords.state, 'IN_PROGRESS'),
  );

/** A request refused before it had any effect is not stored: the key is free again. */
export async function releaseIdempotencyKey(db: Database, memberId: string, key: string): Promise<void> {
  await db.delete(idempotencyRecords).where(inProgress(memberId, key));
}

/** Stores the final response; a record already DONE keeps its first answer. */
export async function finishIdempotencyKey(
  db: Database,
  memberId: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await db
    .update(idempotencyRecords)
    .set({ state: 'DONE', responseStatus: status, responseBody: body })
    .where(inProgress(memberId, key));
}

/**
 * A payment whose request died before it wrote its row, settled at its deadline: its key gets its
 * final answer, unless the request (or its retry) writes the row first. The key's row lock orders
 * the two: the request's step 4 takes it too and writes only while the key is IN_PROGRESS, and
 * this reads the payments after it holds the lock. True when the answer was stored.
 */
export async function finishKeyWithoutPayment(
  db: Database,
  memberId: string,
  key: string,
  status: number,
  body: unknown,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ key: idempotencyRecords.key })
      .from(idempotencyRecords)
      .where(inProgress(memberId, key))
      .for('update');
    if (!locked) return false;
    const [written] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.memberId, memberId), eq(payments.idempotencyKey, key)));
    if (written) return false;
    await finishIdempotencyKey(tx, memberId, key, status, body);
    return true;
  });
}

export interface NewPayment {
  memberId: string;
  screeningId: string;
  holdToken: string;
  idempotencyKey: string;
  method: PaymentMethod;
  seatIds: string[];
}

export interface PaymentRow {
  id: string;
  memberId: string;
  screeningId: string;
  holdToken: string;
  idempotencyKey: string;
  method: PaymentMethod;
  amount: number;
  status: (typeof payments.$inferSelect)['status'];
  seatIds: string[];
}

/** A seat as the reservation shows it, with its price in this screening. */
export interface PricedSeat {
  seatId: string;
  rowLabel: string;
  seatNo: number;
  type: string;
  price: number;
}

/** What a reservation of this screening shows beside its seats. */
export interface ScreeningInfo {
  movieTitle: string;
  theaterName: string;
  screenName: string;
  startTime: string;
}

export interface PricedPayment {
  payment: PaymentRow;
  seats: PricedSeat[];
  screening: ScreeningInfo;
}

/**
 * The seats priced and the screening's names, as one statement's CTEs (reservation order). Each
 * requested id is looked up by the primary key (the lateral lookup with `offset 0` is planned as is):
 * with `in (select ...)` the planner, guessing 100 ids from the JSON function, read every seat of
 * the screen, or with statistics on the table every seat of every screen (a hash join over a
 * sequential scan, seen with EXPLAIN ANALYZE), whatever the plan, custom or generic.
 */
const pricedCtes = (screeningId: string, seatIds: readonly string[]) => sql`priced as (
    select s.id as "seatId", s.row_label as "rowLabel", s.seat_no as "seatNo", s.type,
           coalesce((sc.prices ->> s.type)::integer, 0) as price
    from jsonb_array_elements_text(${JSON.stringify(seatIds)}::jsonb) as wanted(id)
      cross join lateral (select * from seats where seats.id = wanted.id::uuid offset 0) s
      join screenings sc on sc.id = ${screeningId} and sc.screen_id = s.screen_id
    order by s.row_label, s.seat_no
  ), info as (
    select m.title as "movieTitle", t.name as "theaterName", sr.name as "screenName", sc.start_time as "startTime"
    from screenings sc join movies m on m.id = sc.movie_id
      join screens sr on sr.id = sc.screen_id join theaters t on t.id = sr.theater_id
    where sc.id = ${screeningId}
  )`;

type RawPayment = {
  id: string;
  member_id: string;
  screening_id: string;
  hold_token: string;
  idempotency_key: string;
  method: PaymentMethod;
  amount: number;
  status: PaymentRow['status'];
  seat_ids: string[];
};

const paymentOf = (raw: RawPayment): PaymentRow => ({
  id: raw.id,
  memberId: raw.member_id,
  screeningId: raw.screening_id,
  holdToken: raw.hold_token,
  idempotencyKey: raw.idempotency_key,
  method: raw.method,
  amount: raw.amount,
  status: raw.status,
  seatIds: raw.seat_ids,
});

const infoOf = (raw: ScreeningInfo): ScreeningInfo => ({
  ...raw,
  startTime: new Date(raw.startTime).toISOString(),
});

/**
 * Step 4, in one statement: the seats priced, the screening's names for the answer, and the
 * payment row PENDING, written only while this key is IN_PROGRESS (its row lock orders this with
 * a settlement that finishes the key: finishKeyWithoutPayment). A resumed request finds the row
 * its first attempt wrote. Undefined: the key was finished meanwhile (its answer is stored).
 */
export async function openPayment(db: Database, payment: NewPayment): Promise<PricedPayment | undefined> {
  const { memberId, screeningId, holdToken, idempotencyKey, method, seatIds } = payment;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await rowsOf<{
      inserted: RawPayment | null;
      existing: RawPayment | null;
      open: boolean;
      seats: PricedSeat[] | null;
      screening: ScreeningInfo | null;
    }>(
      db,
      sql`with ${pricedCtes(screeningId, seatIds)}, open_key as (
            select 1 from idempotency_records
            where member_id = ${memberId} and key = ${idempotencyKey} and state = 'IN_PROGRESS'
            for update
          ), inserted as (
            insert into payments (member_id, screening_id, hold_token, idempotency_key, method, amount, seat_ids)
            select ${memberId}::uuid, ${screeningId}::uuid, ${holdToken}::text, ${idempotencyKey}::text, ${method}::text,
                   (select coalesce(sum(price), 0) from priced), (select jsonb_agg("seatId") from priced)
            where exists (select 1 from open_key)
            on conflict (member_id, idempotency_key) do nothing
            returning *
          )
          select (select row_to_json(inserted) from inserted) as inserted,
                 (select row_to_json(p) from payments p
                  where p.member_id = ${memberId} and p.idempotency_key = ${idempotencyKey}) as existing,
                 exists (select 1 from open_key) as open,
                 (select json_agg(priced) from priced) as seats,
                 (select row_to_json(info) from info) as screening`,
      'open-payment',
    );
    if (!row?.screening) throw new Error(`screening ${screeningId} vanished`);
    const raw = row.inserted ?? row.existing;
    if (!raw) {
      if (!row.open) return undefined;
      continue; // written by a statement that ended after this one began: read it again
    }
    const found = paymentOf(raw);
    // A resumed request prices the seats its first attempt wrote down, whatever it was told now.
    const seats = sameSeats(row.seats ?? [], found.seatIds)
      ? (row.seats ?? [])
      : (await pricedSeatsOf(db, screeningId, found.seatIds)).seats;
    return { payment: found, seats, screening: infoOf(row.screening) };
  }
  throw new Error('the payment row could not be written or read');
}

const sameSeats = (seats: PricedSeat[], seatIds: string[]) =>
  seats.length === seatIds.length && seats.every((seat) => seatIds.includes(seat.seatId));

/** The seats' layout and prices in this screening, and its names, for a reservation's answer. */
export async function pricedSeatsOf(
  db: Database,
  screeningId: string,
  seatIds: readonly string[],
): Promise<{ seats: PricedSeat[]; screening: ScreeningInfo }> {
  const [row] = await rowsOf<{ seats: PricedSeat[] | null; screening: ScreeningInfo | null }>(
    db,
    sql`with ${pricedCtes(screeningId, seatIds)}
        select (select json_agg(priced) from priced) as seats, (select row_to_json(info) from info) as screening`,
  );
  if (!row?.screening) throw new Error(`screening ${screeningId} vanished`);
  return { seats: row.seats ?? [], screening: infoOf(row.screening) };
}

/** PENDING → a final status; false when something else settled it first. */
export async function settlePaymentRow(
  db: Database,
  paymentId: string,
  status: 'DECLINED' | 'FAILED' | 'REFUNDED',
  from: 'PENDING' | 'APPROVED' = 'PENDING',
): Promise<boolean> {
  const updated = await db
    .update(payments)
    .set({ status, updatedAt: new Date() })
    .where(and(eq(payments.id, paymentId), eq(payments.status, from)))
    .returning({ id: payments.id });
  return updated.length === 1;
}

/** The latest payment attempt of a hold. */
export async function findPaymentOfHold(db: Database, holdToken: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(eq(payments.holdToken, holdToken))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return row;
}

export async function findPaymentOfReservation(
  db: Database,
  reservationId: string,
): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.reservationId, reservationId));
  return row;
}
