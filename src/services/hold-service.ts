// Holding seats, with the rule that looks across screenings: a member holds seats in at most
// HELD_SCREENINGS_PER_MEMBER screenings at once. Each coordinator knows one screening only, so the
// hold is made first, the member-hold index (written before the coordinator answers) names the other
// screenings the member held in lately, their coordinators say which still have live holds, and a
// hold over the limit is taken back (without a cool-down). Of two holds racing in two screenings at
// least one sees the other, because each is committed and indexed before its own check reads.

import type { Database } from '../adapters/db/client.ts';
import { screeningsHeldSince } from '../adapters/db/seat-repository.ts';
import type { Settings } from '../config/settings.ts';
import { type BestRequest, screeningLimitRefusal } from '../domain/seats/index.ts';
import type { HoldView, SeatCoordinator } from '../ports/seat-coordinator.ts';
import { unwrap } from './seat-results.ts';

export type HoldWish = { seatIds: string[] } | { best: BestRequest };

/** Since when a hold may still be live: its longest life, then its payment, and a margin. */
export function holdHorizon(settings: Settings, now = Date.now()): Date {
  return new Date(now - (settings.HOLD_MAX_SECONDS + settings.PAYMENT_TIMEOUT_SECONDS + 300) * 1000);
}

export async function holdSeats(
  deps: { db: () => Database; seats: SeatCoordinator; settings: Settings },
  screeningId: string,
  memberId: string,
  wish: HoldWish,
): Promise<HoldView> {
  const { seats, settings } = deps;
  const hold = unwrap(
    'best' in wish
      ? await seats.holdBest(screeningId, memberId, wish.best)
      : await seats.hold(screeningId, memberId, wish.seatIds),
  );
  let refusal: ReturnType<typeof screeningLimitRefusal>;
  try {
    const recent = await screeningsHeldSince(deps.db(), memberId, holdHorizon(settings));
    const others = recent.filter((id) => id !== screeningId);
    const live = await Promise.all(
      others.map(async (id) => ((await seats.holdsOf(id, memberId)).length > 0 ? id : null)),
    );
    refusal = screeningLimitRefusal(
      screeningId,
      live.filter((id): id is string => id !== null),
      settings.HELD_SCREENINGS_PER_MEMBER,
    );
  } catch (error) {
    // Unchecked is not allowed: the caller gets the error and keeps no hold.
    await seats.release(screeningId, memberId, hold.holdToken, true).catch(() => {});
    throw error;
  }
  if (refusal) {
    await seats.release(screeningId, memberId, hold.holdToken, true);
    unwrap({ ok: false, error: refusal });
  }
  return hold;
}
