// Drill: the Durable Objects evicted mid-sale. workerd is disposed and started again over the same
// Durable Object storage (Miniflare, persisted to disk): every actor loses its memory, its
// connections and whatever requests were running, and keeps its SQLite and its alarm, as after an
// eviction or a crash. What died half-way is settled.
//
// What it checks beyond the invariants, each independent of how fast the machine is (the sale's VUs
// may all be past their holds when the eviction strikes, so the sale alone cannot show that holds
// work afterwards): seats an admin blocked before the sale are still BLOCKED after the restart (the
// actor's storage survived), every request sent once workerd is back gets an answer, and once the
// sale is over the admin unblocks those seats and a member who waited holds and pays for them.
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import { signAccessToken } from '../../src/adapters/auth/tokens.ts';
import { members } from '../../src/adapters/db/schema.ts';
import { workersKit } from '../runtimes/workers.ts';
import { CARDS } from '../support/http.ts';
import { loggedInMembers } from '../support/members.ts';
import { JWT_SECRET, marqueeSettings } from '../support/settings.ts';
import { type DrillContext, paymentsMidway, runDrill, settleAndCheck, startSale, until } from './drill.ts';

/** Seats kept out of the sale (blocked) and sold after the restart. */
const KEPT = 4;

await runDrill('do-evicted', async (context) => {
  const kit = await workersKit({
    databaseUrl: context.database.url,
    buildDir: context.tmp,
    logDir: context.logDir,
    persistPath: join(context.tmp, 'storage'),
  });
  const server = await kit.marquee(
    marqueeSettings({ PAYMENT_TIMEOUT_SECONDS: '3', GATEWAY_LATENCY_MS: '300' }),
  );
  const problems: string[] = [];
  try {
    const [admin, late] = await accounts(context);
    const call = caller(server.url);
    let kept: string[] = [];
    const { api, screeningId, sale } = await startSale(context, server, {
      users: 150,
      mix: { approve: 0.7, decline: 0.1 },
      before: async (screeningId) => {
        const map = await call('GET', `/api/screenings/${screeningId}/seats`);
        kept = (map.body as { seats: { seatId: string }[] }).seats.slice(-KEPT).map((seat) => seat.seatId);
        const blocked = await call('POST', `/api/admin/screenings/${screeningId}/seats/block`, admin, {
          seatIds: kept,
          reason: 'kept for after the eviction',
        });
        if (blocked.status !== 200) throw new Error(`blocking the kept seats answered ${blocked.status}`);
      },
    });

    await until('payments midway', async () => (await paymentsMidway(context, screeningId)) >= 5);
    context.log(`evicting: workerd goes down with ${api.inFlight.payment} payments in flight`);
    const evictedAt = performance.now();
    await server.restart?.();
    const backAt = performance.now();
    const cut = api.samples.filter(
      (s) => s.endpoint === 'payment' && s.start < evictedAt && s.end > evictedAt,
    );
    context.log(
      `workerd is back over the same storage after ${((backAt - evictedAt) / 1000).toFixed(1)} s; ${cut.length} payment requests were cut off (${summary(cut.map((s) => s.code ?? String(s.status)))})`,
    );

    const after = await call('GET', `/api/screenings/${screeningId}/seats`);
    const statuses = (after.body as { seats?: { seatId: string; status: string }[] } | undefined)?.seats
      ?.filter((seat) => kept.includes(seat.seatId))
      .map((seat) => seat.status);
    if (after.status !== 200) problems.push(`the seat map answered ${after.status} after the restart`);
    else if (statuses?.some((status) => status !== 'BLOCKED'))
      problems.push(`the seats blocked before the eviction came back as ${statuses.join(', ')}`);

    await sale.done;
    const unanswered = api.samples.filter((s) => s.start > backAt && s.status === 0);
    if (unanswered.length > 0)
      problems.push(
        `${unanswered.length} requests sent after workerd was back got no answer (${summary(unanswered.map((s) => s.code ?? '?'))})`,
      );

    const unblocked = await call('POST', `/api/admin/screenings/${screeningId}/seats/unblock`, admin, {
      seatIds: kept,
    });
    const hold = await api.hold(late.token, screeningId, kept);
    const paid =
      hold.status === 201
        ? await api.pay(late.token, `drill-late-${Date.now()}`, {
            holdToken: hold.body.holdToken,
            screeningId,
            cardNumber: CARDS.approve,
          })
        : undefined;
    if (unblocked.status !== 200 || hold.status !== 201 || paid?.status !== 201)
      problems.push(
        `after the eviction: unblock ${unblocked.status}, hold ${hold.status} ${hold.code ?? ''}, payment ${paid?.status ?? '-'} ${paid?.code ?? ''}`,
      );
    else context.log(`after the eviction: the kept seats were unblocked, held and paid (${kept.join(', ')})`);

    // Only the drill's own restart may take workerd down: one that dies by itself afterwards is
    // restarted by Miniflare, and would show as refused requests without this.
    for (const crash of server.crashes?.() ?? []) problems.push(`workerd crashed by itself: ${crash}`);
    const found = await settleAndCheck(context, api, screeningId);
    await api.close();
    const lost = api.samples.filter((sample) => sample.status === 0).length;
    if (lost === 0) problems.push('no request met the eviction: the drill did not test what it says');
    return [{ label: 'Workers', found, api, problems }];
  } finally {
    await server.stop();
  }
});

/** An admin (role ADMIN in Postgres and in its token) and a member who waits for the kept seats. */
async function accounts(context: DrillContext) {
  const [admin, late] = await loggedInMembers(context.connection.db, 2);
  if (!admin || !late) throw new Error('no members');
  await context.connection.db
    .update(members)
    .set({ role: 'ADMIN' })
    .where(inArray(members.id, [admin.id]));
  const adminToken = await signAccessToken(
    { id: admin.id, loginId: admin.loginId, role: 'ADMIN' },
    JWT_SECRET,
  );
  return [adminToken, late] as const;
}

/** A plain JSON call outside the sale's statistics. */
function caller(baseUrl: string) {
  return async (method: 'GET' | 'POST', path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
  };
}

function summary(codes: string[]): string {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
}
