// Drill: payments asked for more than once, on both runtimes. Impatient clients give up on their
// request after a few milliseconds (the gateway takes 400 ms) and send it again with the same
// Idempotency-Key until a final answer; double-clickers send the same request five times at once.
// Every key must end with exactly one payment row, one charge and, if approved, one reservation;
// every final answer for a key must be the same, and so must a replay asked for afterwards.
import { isDeepStrictEqual } from 'node:util';
import { insertScreening } from '../../test/support/screening-fixture.ts';
import type { Server } from '../runtimes/server.ts';
import { Api, CARDS, type Reply } from '../support/http.ts';
import { loggedInMembers, type Member } from '../support/members.ts';
import { marqueeSettings } from '../support/settings.ts';
import { type DrillContext, onBothRuntimes, runDrill, settleAndCheck, type Verdict } from './drill.ts';

const SETTINGS = marqueeSettings({
  HOLD_TTL_SECONDS: '60',
  PAYMENT_TIMEOUT_SECONDS: '5',
  GATEWAY_LATENCY_MS: '400',
});
const CLIENTS = 40; // of each kind
const FINAL = new Set([201, 402, 502]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attempt {
  member: Member;
  key: string;
  holdToken: string;
  card: string;
  finals: Reply[];
}

/** Sends until a final answer, giving up on each try after `patience` ms (doubling) if given. */
async function payUntilFinal(api: Api, attempt: Attempt, body: object, patience?: number): Promise<Reply> {
  const seen = new Map<string, number>();
  for (let tries = 0, wait = patience; tries < 400; tries++) {
    const signal = wait === undefined ? undefined : AbortSignal.timeout(wait);
    const reply = await api.pay(attempt.member.token, attempt.key, body as never, { signal });
    if (FINAL.has(reply.status)) return reply;
    const answer = `${reply.status} ${reply.code ?? ''}`.trim();
    seen.set(answer, (seen.get(answer) ?? 0) + 1);
    if (reply.status === 0 && wait !== undefined) wait = wait < 2_000 ? wait * 2 : undefined;
    await sleep(100);
  }
  const answers = [...seen].map(([answer, count]) => `${answer} ×${count}`).join(', ');
  throw new Error(`no final answer for ${attempt.key} (got ${answers})`);
}

async function drillRuntime(context: DrillContext, label: string, server: Server): Promise<Verdict> {
  try {
    const { screeningId, seatIds } = await insertScreening(context.connection.db, { seats: 4 * CLIENTS });
    const members = await loggedInMembers(context.connection.db, 2 * CLIENTS);
    const api = new Api(server.url, 64);
    const attempts = await Promise.all(
      members.map(async (member, index): Promise<Attempt> => {
        const hold = await api.hold(member.token, screeningId, seatIds.slice(2 * index, 2 * index + 2));
        if (hold.status !== 201) throw new Error(`hold answered ${hold.status} ${hold.code}`);
        const card = index % 5 === 4 ? CARDS.decline : CARDS.approve;
        return {
          member,
          key: `drill-${label.replace(/\W/g, '')}-${index}`,
          holdToken: hold.body.holdToken,
          card,
          finals: [],
        };
      }),
    );
    const bodyOf = (attempt: Attempt) => ({
      holdToken: attempt.holdToken,
      screeningId,
      cardNumber: attempt.card,
    });
    await Promise.all(
      attempts.map(async (attempt, index) => {
        const body = bodyOf(attempt);
        if (index < CLIENTS) attempt.finals.push(await payUntilFinal(api, attempt, body, 25));
        else
          attempt.finals.push(
            ...(await Promise.all([1, 2, 3, 4, 5].map(() => payUntilFinal(api, attempt, body)))),
          );
        attempt.finals.push(await payUntilFinal(api, attempt, body)); // the replay, asked afterwards
      }),
    );
    const found = await settleAndCheck(context, api, screeningId);
    await api.close();
    return { label, found, api, problems: await perKeyProblems(context, attempts) };
  } finally {
    await server.stop();
  }
}

/** One payment row, one charge and (approved) one reservation per key; the same answer every time. */
async function perKeyProblems(context: DrillContext, attempts: Attempt[]): Promise<string[]> {
  const problems: string[] = [];
  for (const attempt of attempts) {
    const { rows } = await context.connection.pool.query(
      `select
         (select count(*)::int from payments p where p.member_id = $1 and p.idempotency_key = $2) as payments,
         (select count(*)::int from gateway_ledger g join payments p on g.idempotency_key = p.id::text
            where g.kind = 'CHARGE' and p.member_id = $1 and p.idempotency_key = $2) as charges,
         (select count(*)::int from reservations r where r.hold_token = $3) as reservations`,
      [attempt.member.id, attempt.key, attempt.holdToken],
    );
    const counts = rows[0] as { payments: number; charges: number; reservations: number };
    const approve = attempt.card === CARDS.approve;
    const expected = { payments: 1, charges: 1, reservations: approve ? 1 : 0 };
    if (!isDeepStrictEqual(counts, expected))
      problems.push(`${attempt.key}: ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`);
    const [first, ...others] = attempt.finals;
    if (first?.status !== (approve ? 201 : 402))
      problems.push(
        `${attempt.key}: final answer ${first?.status} ${first?.code ?? ''}, expected ${approve ? 201 : 402}`,
      );
    if (others.some((other) => other.status !== first?.status || !isDeepStrictEqual(other.body, first?.body)))
      problems.push(
        `${attempt.key}: the answers differ (${attempt.finals.map((reply) => reply.status).join(', ')})`,
      );
  }
  return problems;
}

await runDrill('idempotency', (context) =>
  onBothRuntimes(context, SETTINGS, (label, server) => drillRuntime(context, label, server)),
);
