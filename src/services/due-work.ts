// What happens when a seat coordinator's deadlines pass (the actor's alarm, the Redis sweeper): settle
// each payment past its deadline from the records, and retry each refund that is due. Every step
// is idempotent, so an alarm or a sweep that runs twice, or dies half-way, changes nothing more.
// The coordinators only hand the work over: the entry files wire this use case to them.
import type { Database } from '../adapters/db/client.ts';
import { findReservationByNo } from '../adapters/db/reservation-read-repository.ts';
import { log } from '../log.ts';
import type { PaymentGateway } from '../ports/payment-gateway.ts';
import type { DueWork, SeatCoordinator } from '../ports/seat-coordinator.ts';
import { type ProblemOf, settleDuePayment } from './payment-settlement.ts';
import { refund } from './reservation-service.ts';

export interface DueWorkDeps {
  db: Database;
  gateway: PaymentGateway;
  seats: SeatCoordinator;
  problem: ProblemOf;
}

export async function settleDueWork(deps: DueWorkDeps, screeningId: string, work: DueWork): Promise<void> {
  const { db, gateway, seats, problem } = deps;
  for (const due of work.payments) {
    const { holdToken } = due;
    const settled = await settleDuePayment(db, gateway, due, seats, problem);
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
