// What the entry files wire into a Redis coordinator for its due work, for tests that build one:
// the use case over the mock gateway and the HTTP layer's problem documents.
import type { Database } from '../../src/adapters/db/client.ts';
import { MockPaymentGateway } from '../../src/adapters/payment/mock-gateway.ts';
import { problemBody } from '../../src/http/problem.ts';
import type { SettleDueWork } from '../../src/ports/seat-coordinator.ts';
import { settleDueWork } from '../../src/services/due-work.ts';

export const settleWith =
  (db: () => Database): SettleDueWork =>
  (screeningId, work, seats) =>
    settleDueWork(
      { db: db(), gateway: new MockPaymentGateway(db), seats, problem: problemBody },
      screeningId,
      work,
    );
