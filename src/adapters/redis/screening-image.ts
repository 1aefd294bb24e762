// A screening's seat state as Postgres knows it: the durable states (RESERVED, BLOCKED, DISABLED,
// cancellations awaiting their refund), and the payments in flight put back as PAYMENT_PENDING.
// A cold or emptied Redis is rebuilt from this image.
import { resumePayments, type ScreeningSeats } from '../../domain/seats/index.ts';
import type { Database } from '../db/client.ts';
import {
  fenceTokenOf,
  loadScreeningSeats,
  pendingPaymentsOf,
  type SeatLayout,
  screeningSeatsOf,
} from '../db/seat-repository.ts';

export interface ScreeningImage {
  layout: SeatLayout[];
  state: ScreeningSeats;
  /** The last fencing token Postgres accepted for this screening. */
  fence: number;
}

export async function loadScreeningImage(
  db: Database,
  screeningId: string,
  paymentTimeoutMs: number,
): Promise<ScreeningImage | undefined> {
  const [record, pending, fence] = await Promise.all([
    loadScreeningSeats(db, screeningId),
    pendingPaymentsOf(db, screeningId),
    fenceTokenOf(db, screeningId),
  ]);
  if (!record) return undefined;
  const state = resumePayments(
    screeningSeatsOf(record),
    pending.map((payment) => ({
      holdToken: payment.holdToken,
      memberId: payment.memberId,
      seatIds: payment.seatIds,
      deadline: payment.createdAt.getTime() + paymentTimeoutMs,
      paymentKey: payment.idempotencyKey,
    })),
  );
  return { layout: record.layout, state, fence };
}
