// Holding seats, with the rule that looks across screenings: a member holds seats in at most
// HELD_SCREENINGS_PER_MEMBER screenings at once. Each coordinator knows one screening only, and the
// hold path asks Postgres nothing (issue 13), so the rule is applied from what this isolate or process
// knows: every hold it made (or is making) for a member, until the hold would end. A member whose
// other screenings in that view already reach the limit has them checked with their coordinators
// (a hold released, paid or expired elsewhere no longer counts), and is refused before any seat
// changes. Holds sent at the same moment through one isolate or process see each other (a hold is
// counted from the moment it is asked for); across several the limit is approximate, at worst the
// limit per isolate or process a member's requests reach (docs/abuse-resistance.md).

import type { Settings } from '../config/settings.ts';
import { type HoldWish, screeningLimitRefusal } from '../domain/seats/index.ts';
import type { HoldView, SeatCoordinator } from '../ports/seat-coordinator.ts';
import { unwrap } from './seat-results.ts';

/** Since when a hold may still be live: its longest life, then its payment, and a margin. */
export function holdHorizon(settings: Settings, now = Date.now()): Date {
  return new Date(now - (settings.HOLD_MAX_SECONDS + settings.PAYMENT_TIMEOUT_SECONDS + 300) * 1000);
}

/** Members whose holds this isolate keeps track of at most (the least recently active go first). */
const MAX_MEMBERS = 50_000;

/** The holds this isolate or process made, per member: screening and until when it may be live. */
class HeldScreenings {
  readonly #members = new Map<string, Map<string, { screeningId: string; until: number }>>();

  /**
   * The screenings other than `screeningId` where the member may have live holds: `asking`, those
   * with a hold still being asked for (live as far as anyone can tell), and `made`, the others.
   */
  others(memberId: string, screeningId: string, now: number): { asking: string[]; made: string[] } {
    const asking = new Set<string>();
    const made = new Set<string>();
    const holds = this.#members.get(memberId);
    for (const [token, hold] of holds ?? []) {
      if (hold.until <= now) holds?.delete(token);
      else if (hold.screeningId !== screeningId)
        (token.startsWith(ASKING) ? asking : made).add(hold.screeningId);
    }
    if (holds?.size === 0) this.#members.delete(memberId);
    return { asking: [...asking], made: [...made].filter((id) => !asking.has(id)) };
  }

  add(memberId: string, token: string, screeningId: string, until: number): void {
    let holds = this.#members.get(memberId);
    if (holds)
      this.#members.delete(memberId); // re-inserted last: most recently active
    else holds = new Map();
    holds.set(token, { screeningId, until });
    this.#members.set(memberId, holds);
    if (this.#members.size > MAX_MEMBERS) {
      const oldest = this.#members.keys().next().value;
      if (oldest !== undefined) this.#members.delete(oldest);
    }
  }

  forget(memberId: string, token: string): void {
    const holds = this.#members.get(memberId);
    holds?.delete(token);
    if (holds?.size === 0) this.#members.delete(memberId);
  }

  /** A screening whose coordinator says it holds nothing of the member any more. */
  forgetScreening(memberId: string, screeningId: string): void {
    const holds = this.#members.get(memberId);
    if (!holds) return;
    for (const [token, hold] of holds)
      if (hold.screeningId === screeningId && !token.startsWith(ASKING)) holds.delete(token);
    if (holds.size === 0) this.#members.delete(memberId);
  }
}

const ASKING = 'asking:';
const held = new HeldScreenings();

export async function holdSeats(
  deps: { seats: SeatCoordinator; settings: Settings; now?: () => number },
  screeningId: string,
  memberId: string,
  wish: HoldWish,
): Promise<HoldView> {
  const { seats, settings } = deps;
  const now = deps.now?.() ?? Date.now();
  const until = now + settings.HOLD_MAX_SECONDS * 1000;
  const asking = `${ASKING}${crypto.randomUUID()}`;
  // Checked and counted with no await in between, so a hold sent at the same moment through this
  // isolate sees this one; `dead`: screenings whose coordinators said the member holds nothing there.
  const reserve = (dead: ReadonlySet<string>) => {
    const { asking: pending, made } = held.others(memberId, screeningId, now);
    const live = [...pending, ...made.filter((id) => !dead.has(id))];
    const refusal = screeningLimitRefusal(screeningId, live, settings.HELD_SCREENINGS_PER_MEMBER);
    if (!refusal) held.add(memberId, asking, screeningId, until);
    return { refusal, made };
  };
  const first = reserve(new Set());
  if (first.refusal) {
    // Only a member at the limit in this view pays for a look at those screenings' coordinators.
    const dead = new Set<string>();
    await Promise.all(
      first.made.map(async (id) => {
        if ((await seats.holdsOf(id, memberId)).length > 0) return;
        dead.add(id);
        held.forgetScreening(memberId, id);
      }),
    );
    const { refusal } = reserve(dead);
    if (refusal) unwrap({ ok: false, error: refusal });
  }
  try {
    const hold = unwrap(
      'best' in wish
        ? await seats.holdBest(screeningId, memberId, wish.best)
        : await seats.hold(screeningId, memberId, wish.seatIds),
    );
    held.add(memberId, hold.holdToken, screeningId, until);
    return hold;
  } finally {
    held.forget(memberId, asking);
  }
}

/** The hold is gone (released, paid, failed): it no longer counts against the member's screenings. */
export function holdEnded(memberId: string, holdToken: string): void {
  held.forget(memberId, holdToken);
}
