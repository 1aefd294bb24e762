// The sale opening behind a waiting room, on a server the caller started: a phase of `npm run
// bench` (runtime-bench.ts, after the room-less sale) and all of `npm run bench:waiting-room`
// (run-waiting-room.ts). N members join the room before the opening, which an admin then sets half a
// second ahead (PATCH, as an operator would); they poll as the API tells them (pollAfterSeconds),
// and once admitted read the seat map, hold one seat with their Admission-Token (HOLD_TRIES tries)
// and pay for it. Members stop asking once a seat map shows no seat left. It reports what reaches
// the seat coordinator (seat-map reads and holds, per second, beside the ceiling the room's rate
// sets), the time from the opening to each admission by the room's own clock, hold latency, seats
// sold, and the fairness check (bench/support/room-stats.ts). Counts do not depend on the
// machine's load; latencies on a shared machine do.

import type { Pool } from '@neondatabase/serverless';
import { eq } from 'drizzle-orm';
import { signAccessToken } from '../src/adapters/auth/tokens.ts';
import type { Database } from '../src/adapters/db/client.ts';
import { members as memberTable } from '../src/adapters/db/schema.ts';
import { updateWaitingRoom } from '../src/adapters/db/waiting-room-repository.ts';
import { insertScreening } from '../test/support/screening-fixture.ts';
import { seededRandom } from './flow.ts';
import { settledInvariants, violations } from './invariants.ts';
import { Api, CARDS } from './support/http.ts';
import { type Account, insertBenchMembers, signTokens } from './support/members.ts';
import {
  coordinatorCeiling,
  countPerSecond,
  type Fairness,
  fairness,
  HOLD_TRIES,
  type Rates,
  rates,
} from './support/room-stats.ts';
import { JWT_SECRET } from './support/settings.ts';
import { countByCode, type Summary, summarize } from './support/stats.ts';

/** Marquee's default admission, which the bench does not change. */
const ADMISSION_SECONDS = 900;
/** From the admin's PATCH to the opening: the server forgets what it read of the room at once. */
const OPENING_DELAY_MS = 500;
/** Members ask again at a random moment this long after the opening (clocks and reflexes differ). */
const FIRST_POLL_SPREAD_MS = 1_000;
/** Holds outlive every payment of the phase, however long those queue (no hold expires in it). */
export const ROOM_HOLD_TTL_SECONDS = 600;

export interface RoomOptions {
  admitPerMinute: number;
  /** How the rate was chosen, in words, for the report. */
  rateChosen: string;
  seats: number;
  /** Seat-map, hold and queue requests in flight at most; payments besides. */
  pool: number;
  paymentPool: number;
  /** Members stop asking this long after the opening, sold out or not. */
  maxSeconds: number;
  seed: number;
}

export interface RoomFigures {
  members: number;
  admitPerMinute: number;
  rateChosen: string;
  /** All members' joins, first sent → last answered. */
  joinMs: number;
  admitted: number;
  /** Admissions a second by the room's clock (admittedUntil − ADMISSION_SECONDS), and its rate a second. */
  admissionsPerSecond: Rates & { rate: number };
  /** Seat-map reads and holds sent, a second: what the seat coordinator is asked; its ceiling. */
  coordinatorRequestsPerSecond: Rates & { ceiling: number };
  /** The above, second by second from the opening (the chart). */
  coordinatorTimeline: number[];
  admissionTimeline: number[];
  /** Opening → admission, ms, by the room's clock, for the admitted members the bench saw. */
  openingToAdmissionMs: Summary;
  hold: Summary;
  codes: { queue: Record<string, number>; hold: Record<string, number>; payment: Record<string, number> };
  /** Holds refused 403 ADMISSION_REQUIRED although sent with a live admission (must be 0). */
  refusedWithAdmission: number;
  seatsSold: number;
  seats: number;
  polls: number;
  /** The opening until the last member stopped, ms. */
  durationMs: number;
  fairness: Fairness;
  violations: string[];
}

/** An admin (role ADMIN in Postgres, then its token): the operator who opens the sale. */
async function adminToken(db: Database): Promise<string> {
  const [admin] = await insertBenchMembers(db, 1);
  if (!admin) throw new Error('no admin inserted');
  await db.update(memberTable).set({ role: 'ADMIN' }).where(eq(memberTable.id, admin.id));
  return signAccessToken({ id: admin.id, loginId: admin.loginId, role: 'ADMIN' }, JWT_SECRET);
}

export async function saleBehindRoom(
  url: string,
  database: { db: Database; pool: Pool },
  accounts: Account[],
  options: RoomOptions,
): Promise<RoomFigures> {
  const { admitPerMinute, seats } = options;
  const members = await signTokens(accounts);
  const admin = await adminToken(database.db);
  const random = seededRandom(options.seed);
  const api = new Api(url, options.pool, options.paymentPool);
  // Admitted members' seat maps, holds and payments go out on connections of their own, as they
  // would from separate people: queued behind 10,000 members' polls they would leave in bursts.
  const buyers = new Api(url, options.pool, options.paymentPool);
  try {
    // Joining 10,000 takes a while on a small machine: the sale opens once everyone is in.
    const { screeningId: id } = await insertScreening(database.db, {
      seats,
      salesOpenAt: new Date(Date.now() + 3_600_000),
    });
    const room = { admitPerMinute, opensBeforeMinutes: 120 };
    await updateWaitingRoom(database.db, id, room);
    const joinStart = performance.now();
    const tickets = await Promise.all(
      members.map(async (member, order) => {
        // No answer or a 5xx: join again (the same member keeps its one ticket), as a client would.
        let joined = await api.joinQueue(member.token, id);
        for (let retry = 0; retry < 3 && (joined.status === 0 || joined.status >= 500); retry++)
          joined = await api.joinQueue(member.token, id);
        if (!(joined.status === 201 || joined.status === 200) || !joined.body?.ticketId)
          throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`);
        return { member, order, ticketId: joined.body.ticketId };
      }),
    );
    const joinMs = performance.now() - joinStart;

    const openAt = Date.now() + OPENING_DELAY_MS;
    const patched = await fetch(`${url}/api/admin/screenings/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ salesOpenAt: new Date(openAt).toISOString(), waitingRoom: room }),
    });
    if (patched.status !== 200)
      throw new Error(`opening the sale: ${patched.status} ${await patched.text()}`);
    const opening = performance.now() + (openAt - Date.now());
    const deadline = opening + options.maxSeconds * 1000;

    let polls = 0;
    let sold = 0;
    let soldOut = false;
    let refusedWithAdmission = 0;
    /** When the room admitted each member (its clock), ms after the opening. */
    const admittedAt: { order: number; at: number }[] = [];
    const asking = () => !soldOut && performance.now() < deadline;
    // A member far back in the line sleeps up to 30 s between polls: the sell-out wakes it.
    let stop = () => {};
    const stopped = new Promise<void>((done) => (stop = done));
    const pause = (ms: number) =>
      new Promise<void>((done) => {
        const timer = setTimeout(done, ms);
        stopped.then(() => {
          clearTimeout(timer);
          done();
        });
      });
    const timeUp = setTimeout(() => stop(), deadline - performance.now());

    const buy = async (token: string, order: number, admission: string) => {
      const header = { 'admission-token': admission };
      for (let attempt = 0; attempt < HOLD_TRIES && !soldOut; attempt++) {
        const map = await buyers.seatMap(id);
        const free = (map.body?.seats ?? []).filter((seat) => seat.status === 'AVAILABLE');
        if (map.status === 200 && free.length === 0) {
          soldOut = true;
          stop();
        }
        const seat = free[Math.floor(random() * free.length)]?.seatId;
        if (!seat) return;
        const held = await buyers.hold(token, id, [seat], header);
        if (held.code === 'ADMISSION_REQUIRED') refusedWithAdmission++;
        if (held.status !== 201) continue;
        const paid = await buyers.pay(token, `room-${id}-${order}`, {
          holdToken: held.body.holdToken,
          screeningId: id,
          cardNumber: CARDS.approve,
        });
        if (paid.status === 201) sold++;
        return;
      }
    };

    await Promise.all(
      tickets.map(async ({ member, order, ticketId }) => {
        await pause(Math.max(0, opening - performance.now()) + random() * FIRST_POLL_SPREAD_MS);
        while (asking()) {
          polls++;
          const ticket = await api.queueTicket(member.token, id, ticketId);
          const body = ticket.body;
          if (body?.status === 'ADMITTED' && body.admissionToken && body.admittedUntil) {
            admittedAt.push({
              order,
              at: Date.parse(body.admittedUntil) - ADMISSION_SECONDS * 1000 - openAt,
            });
            await buy(member.token, order, body.admissionToken);
            return;
          }
          // No answer or a 5xx: ask again in a second, as a client would.
          if (ticket.status === 0 || ticket.status >= 500) await pause(1000);
          else if (ticket.status !== 200 || body?.status !== 'WAITING') return;
          else await pause((body.pollAfterSeconds ?? 5) * 1000);
        }
      }),
    );
    const durationMs = performance.now() - opening;
    clearTimeout(timeUp);
    stop();

    const samples = [...api.samples, ...buyers.samples];
    const coordinator = samples
      .filter((sample) => sample.endpoint === 'seat map' || sample.endpoint === 'hold')
      .map((sample) => sample.start);
    const samplesOf = (endpoint: string) => samples.filter((sample) => sample.endpoint === endpoint);
    const admissionTimes = admittedAt.map((entry) => entry.at);
    const fair = fairness(admittedAt);

    const problems: string[] = [];
    // Every payment was answered; what the holds and payments wrote settles within seconds.
    const found = await settledInvariants(database.pool, api, id, 10_000);
    // Holds live ROOM_HOLD_TTL_SECONDS here: one still held is not past its deadline.
    problems.push(...violations({ ...found, heldPastDeadline: 0 }));
    if (found.soldSeats !== sold)
      problems.push(`the members bought ${sold} seats, Postgres has ${found.soldSeats}`);
    if (admittedAt.length === 0) problems.push('nobody was admitted');
    if (!fair.fair)
      problems.push(
        `admission order follows join order: Spearman's rho ${fair.rho.toFixed(3)} beyond ±${fair.bound.toFixed(3)}`,
      );
    if (refusedWithAdmission)
      problems.push(`${refusedWithAdmission} hold(s) with a live admission refused ADMISSION_REQUIRED`);
    // No load here is more than the server should take: a 5xx is a fault of the server's.
    const failed = samples.filter((sample) => sample.status >= 500);
    if (failed.length > 0)
      problems.push(
        `${failed.length} answer(s) were server errors (${[...new Set(failed.map((s) => `${s.endpoint} ${s.status}`))].join(', ')})`,
      );

    return {
      members: members.length,
      admitPerMinute,
      rateChosen: options.rateChosen,
      joinMs,
      admitted: admittedAt.length,
      admissionsPerSecond: { ...rates(admissionTimes, 0), rate: admitPerMinute / 60 },
      coordinatorRequestsPerSecond: {
        ...rates(coordinator, opening),
        ceiling: coordinatorCeiling(admitPerMinute),
      },
      coordinatorTimeline: countPerSecond(coordinator, opening),
      admissionTimeline: countPerSecond(admissionTimes, 0),
      openingToAdmissionMs: summarize(admissionTimes),
      hold: summarize(samplesOf('hold').map((sample) => sample.end - sample.start)),
      codes: {
        queue: countByCode(samplesOf('queue')),
        hold: countByCode(samplesOf('hold')),
        payment: countByCode(samplesOf('payment')),
      },
      refusedWithAdmission,
      seatsSold: sold,
      seats,
      polls,
      durationMs,
      fairness: fair,
      violations: problems,
    };
  } finally {
    await Promise.all([api.close(), buyers.close()]);
  }
}
