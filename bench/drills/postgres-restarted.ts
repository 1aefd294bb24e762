// Drill: Postgres restarted (`pg_ctl restart -m fast`) while payments are in flight, on both
// runtimes in turn. The drill runs a Postgres cluster of its own for this, never the shared one.
// Requests that meet the restart fail; the VUs retry with the same Idempotency-Key, and what a
// dead request left PENDING is settled by the coordinator at the payment deadline.
import type { Server } from '../runtimes/server.ts';
import { marqueeSettings } from '../support/settings.ts';
import {
  type DrillContext,
  onBothRuntimes,
  paymentsMidway,
  runDrill,
  settleAndCheck,
  startSale,
  until,
  type Verdict,
} from './drill.ts';

const SETTINGS = marqueeSettings({ PAYMENT_TIMEOUT_SECONDS: '3', GATEWAY_LATENCY_MS: '400' });

/** When the server started: it changes with every restart. */
async function startTime(context: DrillContext): Promise<string> {
  const { rows } = await context.connection.pool.query('select pg_postmaster_start_time()::text as at');
  return String(rows[0]?.at);
}

async function restartMidPayments(context: DrillContext, label: string, server: Server): Promise<Verdict> {
  try {
    const { api, screeningId, sale } = await startSale(context, server, {
      users: 120,
      mix: { approve: 0.8, decline: 0.1 },
    });
    await until('payments midway', async () => (await paymentsMidway(context, screeningId)) >= 5);
    const before = await startTime(context);
    const inFlight = () => api.inFlight.payment;
    context.log(`${label}: restarting Postgres with ${inFlight()} payments in flight`);
    await context.postgres?.restart();
    context.log(`${label}: Postgres is back, ${inFlight()} payments in flight`);
    await sale.done;
    const found = await settleAndCheck(context, api, screeningId);
    await api.close();
    const restarted = (await startTime(context)) !== before;
    return {
      label,
      found,
      api,
      problems: restarted ? [] : ['Postgres did not restart: the drill tested nothing'],
    };
  } finally {
    await server.stop();
  }
}

await runDrill(
  'postgres-restarted',
  (context) =>
    onBothRuntimes(context, SETTINGS, (label, server) => restartMidPayments(context, label, server)),
  { privatePostgres: true },
);
