// Pieces of Marquee's hold path timed on their own, in the bench's process (Node's V8; workerd runs
// the same V8 and libraries), to say what the difference to the bare baselines is made of.
import { signAccessToken, verifyAccessToken } from '../src/adapters/auth/tokens.ts';
import { adopt, createScreeningSeats, decide, type ScreeningSeats } from '../src/domain/seats/index.ts';
import { HoldRequest } from '../src/http/schemas/seats.ts';
import { JWT_SECRET } from './support/settings.ts';

export interface PieceCosts {
  /** Microseconds per call, the median of five rounds. */
  jwtVerify: number;
  /** A token seen for the first time (the signature checked), besides one remembered (jwtVerify). */
  jwtVerifyFirst: number;
  zodHoldBody: number;
  /**
   * A hold and its release on a 200-seat screening with 50 other live holds (the fixed load's 50
   * connections), decided and adopted into the state the coordinator owns, as the actor and the
   * Redis coordinator's lines both do.
   */
  decideAndAdopt: number;
}

async function microseconds(rounds: number, calls: number, work: () => unknown): Promise<number> {
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let call = 0; call < calls; call++) await work();
    perCall.push(((performance.now() - started) * 1000) / calls);
  }
  return perCall.sort((a, b) => a - b)[Math.floor(rounds / 2)] ?? Number.NaN;
}

export async function measurePieces(): Promise<PieceCosts> {
  const memberId = crypto.randomUUID();
  const token = await signAccessToken({ id: memberId, loginId: 'bench_member', role: 'USER' }, JWT_SECRET);
  const seats = Array.from({ length: 200 }, () => ({
    seatId: crypto.randomUUID(),
    status: 'AVAILABLE' as const,
  }));
  const built = createScreeningSeats({
    screeningId: crypto.randomUUID(),
    salesOpenAt: Date.now() - 3_600_000,
    startTime: Date.now() + 86_400_000,
    seats,
  });
  if (!built.ok) throw new Error('cannot build a screening to time decide() on');
  const body = { seatIds: [seats[0]?.seatId] };
  const hold = (state: ScreeningSeats, seatId: string, member: string, holdToken: string) => {
    const decision = decide(
      state,
      { type: 'hold', memberId: member, seatIds: [seatId], holdToken, ttlMs: 600_000 },
      Date.now(),
    );
    if (!decision.ok) throw new Error(`hold refused: ${decision.error.code}`);
    return adopt(state, decision);
  };
  // The coordinator's own copy, which adopt writes into: never read by anyone else.
  let owned: ScreeningSeats = {
    ...built.state,
    seats: { ...built.state.seats },
    holds: { ...built.state.holds },
  };
  for (let i = 0; i < 50; i++)
    owned = hold(owned, seats[100 + i]?.seatId ?? '', crypto.randomUUID(), crypto.randomUUID());
  const holdAndRelease = () => {
    const holdToken = crypto.randomUUID();
    owned = hold(owned, seats[7]?.seatId ?? '', memberId, holdToken);
    const released = decide(owned, { type: 'release', memberId, holdToken }, Date.now());
    if (!released.ok) throw new Error(`release refused: ${released.error.code}`);
    owned = adopt(owned, released);
  };
  const fresh = await Promise.all(
    Array.from({ length: 5 * 1_000 }, (_, index) =>
      signAccessToken({ id: memberId, loginId: `bench_member_${index}`, role: 'USER' }, JWT_SECRET),
    ),
  );
  let next = 0;
  return {
    jwtVerify: await microseconds(5, 2_000, () => verifyAccessToken(token, JWT_SECRET)),
    jwtVerifyFirst: await microseconds(5, 1_000, () => verifyAccessToken(fresh[next++] ?? '', JWT_SECRET)),
    zodHoldBody: await microseconds(5, 5_000, () => HoldRequest.safeParse(body)),
    decideAndAdopt: await microseconds(5, 5_000, holdAndRelease),
  };
}
