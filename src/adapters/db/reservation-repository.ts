// The one transaction that turns an approved payment into a reservation (step 6 of a payment).
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from './client.ts';
import { findReservationById, type ReservationView } from './reservation-read-repository.ts';
import { idempotencyRecords, payments, reservationSeats, reservations, screeningFence } from './schema.ts';

export interface NewReservation {
  reservationNo: string;
  memberId: string;
  screeningId: string;
  holdToken: string;
  payment: { id: string; amount: number; method: string; idempotencyKey: string };
  seats: { seatId: string; price: number }[];
}

export interface PaymentResponse {
  reservation: ReservationView;
  payment: { id: string; status: 'APPROVED'; amount: number; method: string };
}

export class PaymentAlreadySettled extends Error {
  override name = 'PaymentAlreadySettled';
}

/** The commit ran under a fencing token older than the screening's: another process took over. */
export class FenceRejected extends Error {
  override name = 'FenceRejected';
}

/**
 * Step 6 of a payment, in one transaction: the reservation and its seats, the payment APPROVED
 * (only if still PENDING: a settlement may have failed it meanwhile) and the stored 201 response.
 * The unique index over active reservation seats refuses a seat sold twice, whatever called this.
 */
export async function commitReservation(
  db: Database,
  reservation: NewReservation,
  fenceToken: number | null = null,
): Promise<PaymentResponse> {
  const total = reservation.seats.reduce((sum, seat) => sum + seat.price, 0);
  return db.transaction(async (tx) => {
    if (fenceToken !== null) {
      const fenced = await tx
        .insert(screeningFence)
        .values({ screeningId: reservation.screeningId, token: fenceToken })
        .onConflictDoUpdate({
          target: screeningFence.screeningId,
          set: { token: fenceToken },
          setWhere: lt(screeningFence.token, fenceToken),
        })
        .returning({ token: screeningFence.token });
      if (fenced.length === 0) throw new FenceRejected(`fencing token ${fenceToken} is stale`);
    }
    const approved = await tx
      .update(payments)
      .set({ status: 'APPROVED', updatedAt: new Date() })
      .where(and(eq(payments.id, reservation.payment.id), eq(payments.status, 'PENDING')))
      .returning({ id: payments.id });
    if (approved.length === 0) throw new PaymentAlreadySettled(reservation.payment.id);
    const [created] = await tx
      .insert(reservations)
      .values({
        reservationNo: reservation.reservationNo,
        memberId: reservation.memberId,
        screeningId: reservation.screeningId,
        holdToken: reservation.holdToken,
        totalAmount: total,
        seatCount: reservation.seats.length,
      })
      .returning({ id: reservations.id });
    if (!created) throw new Error('insert returned no row');
    await tx.insert(reservationSeats).values(
      reservation.seats.map((seat) => ({
        reservationId: created.id,
        screeningId: reservation.screeningId,
        seatId: seat.seatId,
        price: seat.price,
      })),
    );
    await tx
      .update(payments)
      .set({ reservationId: created.id })
      .where(eq(payments.id, reservation.payment.id));
    const record = await findReservationById(tx, created.id);
    if (!record) throw new Error('reservation vanished inside its own transaction');
    const response: PaymentResponse = {
      reservation: record.view,
      payment: {
        id: reservation.payment.id,
        status: 'APPROVED',
        amount: reservation.payment.amount,
        method: reservation.payment.method,
      },
    };
    await tx
      .update(idempotencyRecords)
      .set({ state: 'DONE', responseStatus: 201, responseBody: response })
      .where(
        and(
          eq(idempotencyRecords.memberId, reservation.memberId),
          eq(idempotencyRecords.key, reservation.payment.idempotencyKey),
        ),
      );
    return response;
  });
}
