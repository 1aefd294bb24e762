// What a seat coordinator does when deadlines pass (the actor's alarm, the Redis sweeper): settle
// each payment past its deadline from the records, and retry each refund that is due. Every step
// is idempotent, so an alarm or a sweep that runs twice, or dies half-way, changes nothing more.
import type { Database } from '../adapters/db/client.ts';
import { findReservationByNo } from '../adapters/db/reservation-read-repository.ts';
import { log } from '../http/log.ts';
import type { PaymentGateway } from '../ports/payment-gateway.ts';
import type { SeatCoordinator } from '../ports/seat-coordinator.ts';
import { settleDuePayment } from './payment-settlement.ts';
import { refund } from './reservation-service.ts';

export interface DueWork {
  payments: readonly { holdToken: string }[];
  refunds: readonly { reservationNo: string }[];
}

export interface DueWorkDeps {
  db: Database;
  gateway: PaymentGateway;
  seats: SeatCoordinator;
}

export async function settleDueWork(deps: DueWorkDeps, screeningId: string, work: DueWork): Promise<void> {
  const { db, gateway, seats } = deps;
  for (const { holdToken } of work.payments) {
    const settled = await settleDuePayment(db, gateway, holdToken, seats);
    log('info', 'payment settled at its deadline', { screeningId, holdToken, ...settled });
    if (settled.outcome === 'RESERVED')
      await seats.finishPayment(screeningId, holdToken, settled.reservationNo);
    else await seats.failPayment(screeningId, holdToken);
  }
  for (const { reservationNo } of work.refunds) {
    const record = await findReservationByNo(db, reservationNo);
    if (!record) continue;
    const done = await refund({ db: () => db, seats, gateway }, record);
    log(done ? 'info' : 'warn', done ? 'refund retried and done' : 'refund still refused', {
      screeningId,
      reservationNo,
    });
  }
}
