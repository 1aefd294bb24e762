// Cancellations and refunds. A cancelled reservation keeps its seats (RESERVATION_CANCELLED) until
// its refund is done; only then are they released, in Postgres and then in the coordinator.
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { payments, refunds, reservationSeats, reservations } from './schema.ts';

/** CONFIRMED → CANCELLED and a PENDING refund, in one transaction; repeating it changes nothing. */
export async function markCancelled(db: Database, reservationId: string, paymentId: string, amount: number) {
  await db.transaction(async (tx) => {
    await tx
      .update(reservations)
      .set({ status: 'CANCELLED', cancelledAt: new Date() })
      .where(and(eq(reservations.id, reservationId), eq(reservations.status, 'CONFIRMED')));
    await tx.insert(refunds).values({ paymentId, reservationId, amount }).onConflictDoNothing();
  });
}

export async function findRefund(db: Database, reservationId: string) {
  const [refund] = await db.select().from(refunds).where(eq(refunds.reservationId, reservationId));
  return refund;
}

/** The refund went through: money back, payment REFUNDED, seats no longer sold by this reservation. */
export async function markRefunded(db: Database, reservationId: string) {
  await db.transaction(async (tx) => {
    const [refund] = await tx
      .update(refunds)
      .set({ status: 'REFUNDED', completedAt: new Date(), attempts: sql`${refunds.attempts} + 1` })
      .where(and(eq(refunds.reservationId, reservationId), eq(refunds.status, 'PENDING')))
      .returning();
    if (!refund) return;
    await tx
      .update(payments)
      .set({ status: 'REFUNDED', updatedAt: new Date() })
      .where(eq(payments.id, refund.paymentId));
    await tx
      .update(reservationSeats)
      .set({ active: false })
      .where(eq(reservationSeats.reservationId, reservationId));
  });
}

export async function noteRefundAttempt(db: Database, reservationId: string) {
  await db
    .update(refunds)
    .set({ attempts: sql`${refunds.attempts} + 1` })
    .where(eq(refunds.reservationId, reservationId));
}
