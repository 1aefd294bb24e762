// A payment the gateway refused while the seat coordinator cannot be reached (Redis killed, a
// Durable Object call failing): the refusal is final, so its answer must be stored under the
// Idempotency-Key all the same; the coordinator frees the seats at the payment deadline from the
// payment row. Found by `npm run drill` (redis-killed): the declined client got 503, then 409 for
// the key's whole lease, then 404 HOLD_NOT_FOUND, and never its 402.
import { afterAll, describe, expect, it } from 'vitest';
import { MockPaymentGateway, TEST_CARDS } from '../../src/adapters/payment/mock-gateway.ts';
import { AppError } from '../../src/domain/errors.ts';
import { problemBody } from '../../src/http/problem.ts';
import type { SeatCoordinator } from '../../src/ports/seat-coordinator.ts';
import { NO_FAULTS } from '../../src/services/faults.ts';
import { pay } from '../../src/services/payment-service.ts';
import { testDatabase } from '../support/db.ts';
import { insertMembers, insertScreening } from '../support/screening-fixture.ts';

const database = testDatabase(2);
afterAll(() => database.close());

/** A coordinator that starts payments but is unreachable when told the outcome. */
function coordinatorDownAfterStart(seatIds: string[]) {
  const calls = { startPayment: 0, failPayment: 0 };
  const seats = {
    async startPayment(screeningId: string, _memberId: string, holdToken: string) {
      calls.startPayment++;
      return { ok: true, value: { holdToken, screeningId, seatIds, expiresAt: new Date().toISOString() } };
    },
    async failPayment() {
      calls.failPayment++;
      throw new AppError('SERVICE_UNAVAILABLE', 'seat service is temporarily unavailable; try again');
    },
  } as unknown as SeatCoordinator;
  return { seats, calls };
}

describe('a refused payment while the seat coordinator is unreachable', () => {
  it.each([
    ['declined', TEST_CARDS.decline, 402, 'PAYMENT_DECLINED', 'DECLINED'],
    ['timed out', TEST_CARDS.timeout, 502, 'PAYMENT_GATEWAY_ERROR', 'FAILED'],
  ])(
    '%s: answers and stores its final answer, and a retry replays it',
    async (_, card, status, code, row) => {
      const { screeningId, seatIds } = await insertScreening(database.db, { seats: 2 });
      const [member] = await insertMembers(database.db, 1);
      const { seats, calls } = coordinatorDownAfterStart(seatIds);
      const deps = {
        db: () => database.db,
        seats,
        gateway: new MockPaymentGateway(() => database.db),
        faults: NO_FAULTS,
        problem: problemBody,
      };
      const request = {
        holdToken: crypto.randomUUID(),
        screeningId,
        method: 'CARD' as const,
        cardNumber: card,
      };

      const first = await pay(deps, member!.id, 'refused-1', request);
      expect(first).toMatchObject({ status, body: { code } });
      expect(calls.failPayment).toBe(1);
      const replay = await pay(deps, member!.id, 'refused-1', request);
      expect(replay).toEqual(first);
      expect(calls.startPayment).toBe(1); // the replay never reached the coordinator

      const { rows } = await database.pool.query(
        `select p.status, i.state, i.response_status from payments p
       join idempotency_records i on i.member_id = p.member_id and i.key = p.idempotency_key
       where p.member_id = $1`,
        [member!.id],
      );
      expect(rows).toEqual([{ status: row, state: 'DONE', response_status: status }]);
    },
  );
});
