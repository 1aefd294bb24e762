// Drill: a gateway that times out on a share of payments, on both runtimes. A third of the VUs pay
// with the mock gateway's timeout card (4000000000009995) among approvals: each of them must get
// 502 PAYMENT_GATEWAY_ERROR, be charged nothing, have its payment FAILED and no reservation, and
// its seats must be free again (AVAILABLE, or sold since under another hold).
import type { Payment } from '../flow.ts';
import type { Server } from '../runtimes/server.ts';
import { CARDS } from '../support/http.ts';
import { marqueeSettings } from '../support/settings.ts';
import {
  type DrillContext,
  onBothRuntimes,
  runDrill,
  settleAndCheck,
  startSale,
  type Verdict,
} from './drill.ts';

const SETTINGS = marqueeSettings({ PAYMENT_TIMEOUT_SECONDS: '3', GATEWAY_LATENCY_MS: '100' });

async function drillRuntime(context: DrillContext, label: string, server: Server): Promise<Verdict> {
  try {
    const { api, screeningId, sale } = await startSale(context, server, {
      users: 150,
      mix: { approve: 0.6, decline: 0, timeout: 0.34 },
    });
    const result = await sale.done;
    const found = await settleAndCheck(context, api, screeningId);
    await api.close();
    const timedOut = result.payments.filter((payment) => payment.card === CARDS.timeout);
    const problems = timedOut.length > 0 ? [] : ['no payment met the timeout card'];
    const map = new Map(found.map.seats.map((seat) => [seat.seatId, seat.status]));
    for (const payment of timedOut) problems.push(...(await timeoutProblems(context, payment, map)));
    context.log(`${label}: ${timedOut.length} payments timed out at the gateway, all checked`);
    return { label, found, api, problems };
  } finally {
    await server.stop();
  }
}

async function timeoutProblems(context: DrillContext, payment: Payment, map: Map<string, string>) {
  const problems: string[] = [];
  if (payment.status !== 502 || payment.code !== 'PAYMENT_GATEWAY_ERROR')
    problems.push(`${payment.key}: answered ${payment.status} ${payment.code ?? ''}, expected 502`);
  const { rows } = await context.connection.pool.query(
    `select p.status,
       (select count(*)::int from gateway_ledger g where g.idempotency_key = p.id::text
          and g.kind = 'CHARGE' and g.outcome = 'APPROVED') as charged,
       (select count(*)::int from reservations r where r.hold_token = p.hold_token) as reservations
     from payments p where p.member_id = $1 and p.idempotency_key = $2`,
    [payment.memberId, payment.key],
  );
  const row = rows[0] as { status: string; charged: number; reservations: number } | undefined;
  if (row?.status !== 'FAILED' || row.charged !== 0 || row.reservations !== 0)
    problems.push(`${payment.key}: ${JSON.stringify(row)}, expected FAILED, nothing charged, no reservation`);
  // Free again: AVAILABLE, or RESERVED since by someone else (its own hold made no reservation).
  for (const seatId of payment.seatIds) {
    const status = map.get(seatId);
    if (status !== 'AVAILABLE' && status !== 'RESERVED')
      problems.push(`${payment.key}: seat ${seatId} is ${status}, not free again`);
  }
  return problems;
}

await runDrill('gateway-timeout', (context) =>
  onBothRuntimes(context, SETTINGS, (label, server) => drillRuntime(context, label, server)),
);
