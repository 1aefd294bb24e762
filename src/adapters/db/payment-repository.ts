// Payments and Idempotency-Key records. Every write that may race a settlement is conditional on
// the state it expects, so a late request and the actor's alarm can never both win.
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { PaymentMethod } from '../../ports/payment-gateway.ts';
import type { Database } from './client.ts';
import { idempotencyRecords, payments, screenings, seats } from './schema.ts';

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in-use' }
  | { kind: 'reused' };

/** Step 2: claim the key as IN_PROGRESS with a lease, or say why not. An expired lease is taken over. */
export async function claimIdempotencyKey(
  db: Database,
  memberId: string,
  key: string,
  requestHash: string,
  leaseMs: number,
): Promise<Claim> {
  const leaseUntil = new Date(Date.now() + leaseMs);
  const [inserted] = await db
    .insert(idempotencyRecords)
    .values({ memberId, key, requestHash, leaseUntil })
    .onConflictDoNothing()
    .returning({ key: idempotencyRecords.key });
  if (inserted) return { kind: 'claimed' };
  const [record] = await db
    .select()
    .from(idempotencyRecords)
    .where(and(eq(idempotencyRecords.memberId, memberId), eq(idempotencyRecords.key, key)));
  if (!record) return claimIdempotencyKey(db, memberId, key, requestHash, leaseMs); // released meanwhile
  if (record.requestHash !== requestHash) return { kind: 'reused' };
  if (record.state === 'DONE')
    return { kind: 'replay', status: record.responseStatus ?? 500, body: record.responseBody };
  const [taken] = await db
    .update(idempotencyRecords)
    .set({ leaseUntil })
    .where(
      and(
        eq(idempotencyRecords.memberId, memberId),
        eq(idempotencyRecords.key, key),
        eq(idempotencyRecords.state, 'IN_PROGRESS'),
        lte(idempotencyRecords.leaseUntil, sql`now()`),
      ),
    )
    .returning({ key: idempotencyRecords.key });
  return taken ? { kind: 'claimed' } : { kind: 'in-use' };
}

/** A request refused before it had any effect is not stored: the key is free again. */
export async function releaseIdempotencyKey(db: Database, memberId: string, key: string): Promise<void> {
  await db
    .delete(idempotencyRecords)
    .where(
      and(
        eq(idempotencyRecords.memberId, memberId),
        eq(idempotencyRecords.key, key),
        eq(idempotencyRecords.state, 'IN_PROGRESS'),
      ),
    );
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
    .where(
      and(
        eq(idempotencyRecords.memberId, memberId),
        eq(idempotencyRecords.key, key),
        eq(idempotencyRecords.state, 'IN_PROGRESS'),
      ),
    );
}

export interface NewPayment {
  memberId: string;
  screeningId: string;
  holdToken: string;
  idempotencyKey: string;
  method: PaymentMethod;
  amount: number;
  seatIds: string[];
}

/** Step 4: the payment row, PENDING; a resumed request finds the row its first attempt wrote. */
export async function ensurePayment(db: Database, payment: NewPayment) {
  await db.insert(payments).values(payment).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.memberId, payment.memberId), eq(payments.idempotencyKey, payment.idempotencyKey)));
  if (!row) throw new Error('payment row vanished');
  return row;
}

export type PaymentRow = Awaited<ReturnType<typeof ensurePayment>>;

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

/** The seats' layout and prices in this screening (price from the screening's price per seat type). */
export async function priceSeats(db: Database, screeningId: string, seatIds: string[]) {
  const rows = await db
    .select({
      seatId: seats.id,
      rowLabel: seats.rowLabel,
      seatNo: seats.seatNo,
      type: seats.type,
      prices: screenings.prices,
    })
    .from(seats)
    .innerJoin(screenings, eq(screenings.screenId, seats.screenId))
    .where(and(eq(screenings.id, screeningId), inArray(seats.id, seatIds)));
  return rows.map(({ prices, ...seat }) => ({ ...seat, price: prices[seat.type] ?? 0 }));
}
