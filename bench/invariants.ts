// What must hold after a sale, read from Postgres (the system of record), the mock gateway's ledger
// and the coordinator's map (GET /api/screenings/:id/seats). Any count but zero is a violation.
import type { Pool } from '@neondatabase/serverless';
import type { Api, SeatMapBody } from './support/http.ts';

export interface Invariants {
  /** Seats with more than one active reservation seat, or in more than one CONFIRMED reservation. */
  soldTwice: number;
  /**
   * Money without its seats: APPROVED payments without a CONFIRMED reservation holding exactly
   * their seats, plus approved charges in the gateway's ledger whose payment is neither APPROVED
   * nor REFUNDED with a refund in the ledger (a charge with no payment row at all counts too).
   */
  paidWithoutSeat: number;
  /** Seats without their money: active seats of CONFIRMED reservations with no APPROVED payment. */
  seatWithoutPayment: number;
  /** Seats RESERVED on the map but in no CONFIRMED reservation, and the other way round. */
  mapDisagreements: number;
  /** Seats still HOLD or PAYMENT_PENDING on the map once every deadline has passed. */
  heldPastDeadline: number;
  /** Payment rows still PENDING once every payment deadline has passed. */
  paymentsPending: number;
  /** Seats sold according to Postgres (active seats of CONFIRMED reservations). */
  soldSeats: number;
  map: SeatMapBody;
}

const count = async (pool: Pool, text: string, screeningId: string) =>
  Number((await pool.query(text, [screeningId])).rows[0]?.count ?? 0);

const SOLD_TWICE = `
  select count(*) from (
    select rs.seat_id from reservation_seats rs join reservations r on r.id = rs.reservation_id
    where rs.screening_id = $1
    group by rs.seat_id
    having count(*) filter (where rs.active) > 1 or count(*) filter (where r.status = 'CONFIRMED') > 1
  ) twice`;

const APPROVED_WITHOUT_SEATS = `
  select count(*) from payments p left join reservations r on r.id = p.reservation_id
  where p.screening_id = $1 and p.status = 'APPROVED' and (
    r.id is null or r.status <> 'CONFIRMED' or
    (select coalesce(jsonb_agg(rs.seat_id::text order by rs.seat_id::text), '[]'::jsonb)
       from reservation_seats rs where rs.reservation_id = r.id and rs.active)
    <> (select coalesce(jsonb_agg(seat order by seat), '[]'::jsonb) from jsonb_array_elements_text(p.seat_ids) seat)
  )`;

const CHARGES_WITHOUT_PAYMENT = `
  select count(*) from gateway_ledger g left join payments p on p.id::text = g.idempotency_key
  where g.kind = 'CHARGE' and g.outcome = 'APPROVED' and (p.id is null or p.screening_id = $1)
    and not (p.status = 'APPROVED' or (p.status = 'REFUNDED' and exists (
      select 1 from gateway_ledger refund where refund.kind = 'REFUND' and refund.idempotency_key = g.idempotency_key)))`;

const SEATS_WITHOUT_PAYMENT = `
  select count(*) from reservation_seats rs join reservations r on r.id = rs.reservation_id
  where r.screening_id = $1 and r.status = 'CONFIRMED' and rs.active
    and not exists (select 1 from payments p where p.reservation_id = r.id and p.status = 'APPROVED')`;

const PAYMENTS_PENDING = `select count(*) from payments where screening_id = $1 and status = 'PENDING'`;

const CONFIRMED_SEATS = `
  select rs.seat_id::text as seat_id from reservation_seats rs join reservations r on r.id = rs.reservation_id
  where r.screening_id = $1 and r.status = 'CONFIRMED' and rs.active`;

export async function checkInvariants(pool: Pool, api: Api, screeningId: string): Promise<Invariants> {
  const reply = await api.seatMap(screeningId);
  if (reply.status !== 200) throw new Error(`the seat map answered ${reply.status} ${reply.code ?? ''}`);
  const map = reply.body;
  const confirmed = new Set<string>(
    (await pool.query(CONFIRMED_SEATS, [screeningId])).rows.map((row) => row.seat_id as string),
  );
  const reserved = new Set(map.seats.filter((seat) => seat.status === 'RESERVED').map((seat) => seat.seatId));
  const mapDisagreements =
    [...reserved].filter((seatId) => !confirmed.has(seatId)).length +
    [...confirmed].filter((seatId) => !reserved.has(seatId)).length;
  return {
    soldTwice: await count(pool, SOLD_TWICE, screeningId),
    paidWithoutSeat:
      (await count(pool, APPROVED_WITHOUT_SEATS, screeningId)) +
      (await count(pool, CHARGES_WITHOUT_PAYMENT, screeningId)),
    seatWithoutPayment: await count(pool, SEATS_WITHOUT_PAYMENT, screeningId),
    mapDisagreements,
    heldPastDeadline: map.seats.filter((seat) => seat.status === 'HOLD' || seat.status === 'PAYMENT_PENDING')
      .length,
    paymentsPending: await count(pool, PAYMENTS_PENDING, screeningId),
    soldSeats: confirmed.size,
    map,
  };
}

/** The drills' closing line. */
export function drillLine(found: Invariants): string {
  return `sold twice: ${found.soldTwice}, paid without seat: ${found.paidWithoutSeat}, seat without payment: ${found.seatWithoutPayment}`;
}

/** Every violation, in words; empty when all hold. */
export function violations(found: Invariants): string[] {
  const problems: string[] = [];
  if (found.soldTwice) problems.push(`${found.soldTwice} seat(s) sold twice`);
  if (found.paidWithoutSeat)
    problems.push(`${found.paidWithoutSeat} payment(s)/charge(s) without their seats`);
  if (found.seatWithoutPayment) problems.push(`${found.seatWithoutPayment} sold seat(s) without a payment`);
  if (found.mapDisagreements)
    problems.push(`the coordinator's map and Postgres disagree on ${found.mapDisagreements} seat(s)`);
  if (found.heldPastDeadline)
    problems.push(`${found.heldPastDeadline} seat(s) still HOLD/PAYMENT_PENDING past their deadline`);
  if (found.paymentsPending) problems.push(`${found.paymentsPending} payment(s) still PENDING`);
  return problems;
}

/**
 * Waits until the coordinator has nothing left to settle (no seat HOLD or PAYMENT_PENDING, no
 * payment PENDING), then checks. Gives up waiting after `timeoutMs` and checks anyway.
 */
export async function settledInvariants(
  pool: Pool,
  api: Api,
  screeningId: string,
  timeoutMs = 90_000,
): Promise<Invariants> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await checkInvariants(pool, api, screeningId).catch(() => undefined);
    const settled = found && found.heldPastDeadline === 0 && found.paymentsPending === 0;
    if (found && (settled || Date.now() > deadline)) return found;
    if (!found && Date.now() > deadline) return checkInvariants(pool, api, screeningId);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
