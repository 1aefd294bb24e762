// Pieces of Marquee's hold path timed on their own, in the bench's process (Node's V8; workerd runs
// the same V8 and libraries), to say what the difference to the bare baselines is made of.
import { signAccessToken, verifyAccessToken } from '../src/adapters/auth/tokens.ts';
import { countAvailable, createScreeningSeats, decide } from '../src/domain/seats/index.ts';
import { HoldRequest } from '../src/http/schemas/seats.ts';
import { JWT_SECRET } from './support/settings.ts';

export interface PieceCosts {
  /** Microseconds per call, the median of five rounds. */
  jwtVerify: number;
  /** A token seen for the first time (the signature checked), besides one remembered (jwtVerify). */
  jwtVerifyFirst: number;
  zodHoldBody: number;
  decideHoldAndRelease: number;
  countAvailable: number;
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
  let state = built.state;
  const holdAndRelease = () => {
    const holdToken = crypto.randomUUID();
    const held = decide(
      state,
      { type: 'hold', memberId, seatIds: [seats[7]?.seatId ?? ''], holdToken, ttlMs: 5_000 },
      Date.now(),
    );
    if (!held.ok) throw new Error(`hold refused: ${held.error.code}`);
    const released = decide(held.state, { type: 'release', memberId, holdToken }, Date.now());
    if (!released.ok) throw new Error(`release refused: ${released.error.code}`);
    state = released.state;
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
    decideHoldAndRelease: await microseconds(5, 2_000, holdAndRelease),
    countAvailable: await microseconds(5, 5_000, () => countAvailable(state, Date.now())),
  };
}
