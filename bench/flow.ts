// The sale opening, one virtual user (VU) per member: read the seat map, hold 1–4 of the seats it
// showed free (on 409 try others, a few times), or (a `bestShare` of the VUs) ask for the best 1–4
// seats together instead, then pay with the approving card, pay with a
// declining or a timing-out card, or walk away and let the hold expire. Every payment carries an
// Idempotency-Key. The VUs start together with a little jitter; the Api caps requests in flight.
// With `comeBack`, a share of the VUs that found nothing free come back now and then while the map
// still shows held seats (which a walk-away or a declined card gives back), as buyers watching a
// sold-out map do: then the sale ends when every seat is sold, not when the crowd gave up.
import { type Api, CARDS, type HoldBody, type Reply } from './support/http.ts';
import type { Member } from './support/members.ts';

export interface SaleMix {
  /** Shares of VUs that pay with the approving, declining and timing-out cards; the rest abandon. */
  approve: number;
  decline: number;
  timeout?: number;
}

export interface SaleOptions {
  screeningId: string;
  members: Member[];
  mix: SaleMix;
  holdRetries?: number;
  jitterMs?: number;
  seed?: number;
  /**
   * Drills: keep asking while answers say "not now" (503, 500, no answer, 409 IDEMPOTENCY_KEY_IN_USE),
   * a payment always with its own key, until a final answer or `persistForMs` passes.
   */
  persistent?: boolean;
  persistForMs?: number;
  /** The share of VUs that ask for the best N seats (`{best:{count}}`) instead of picking them. */
  bestShare?: number;
  /**
   * The share of VUs left without a hold that read the map again about every `everyMs` (0.5–1.5×)
   * while it shows HOLD or PAYMENT_PENDING seats, and hold what came free, until `persistForMs`.
   */
  comeBack?: { share: number; everyMs: number };
}

/** A change on the map a VU caused and saw confirmed (its 201), for the live-update lag. */
export interface CausedChange {
  seatId: string;
  status: 'HOLD' | 'RESERVED';
  /** When the VU sent the request that caused it. */
  sent: number;
  /** When the VU read the 201 that confirmed it. */
  at: number;
}

export interface Payment {
  key: string;
  memberId: string;
  holdToken: string;
  seatIds: string[];
  card: string;
  /** The final answer (0: none came before the VU gave up). */
  status: number;
  code?: string;
  body: unknown;
}

export interface SaleStats {
  holds: number;
  holdAttempts: number;
  /** Of the above, best-available holds made and asked for. */
  bestHolds: number;
  bestAttempts: number;
  paymentsStarted: number;
  paymentsDone: number;
  abandoned: number;
}

export interface SaleResult {
  startedAt: number;
  endedAt: number;
  stats: SaleStats;
  payments: Payment[];
  caused: CausedChange[];
  /** Sale opening → the VU's hold confirmed, for VUs that got one. */
  timeToHold: number[];
  /** The latest hold deadline among abandoned holds (epoch ms, the server's clock). */
  lastAbandonedExpiry: number;
}

const FINAL_PAYMENT = new Set([201, 400, 402, 404, 422, 502]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** mulberry32: a small seeded generator, so a run's choices can be repeated. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function isTransient(reply: Reply): boolean {
  return (
    reply.status === 0 ||
    reply.status === 500 ||
    reply.status === 503 ||
    reply.code === 'IDEMPOTENCY_KEY_IN_USE' ||
    reply.code === 'PAYMENT_IN_PROGRESS'
  );
}

export class Sale {
  readonly stats: SaleStats = {
    holds: 0,
    holdAttempts: 0,
    bestHolds: 0,
    bestAttempts: 0,
    paymentsStarted: 0,
    paymentsDone: 0,
    abandoned: 0,
  };
  readonly done: Promise<SaleResult>;
  readonly #api: Api;
  readonly #options: SaleOptions;
  readonly #random: () => number;
  readonly #payments: Payment[] = [];
  readonly #caused: CausedChange[] = [];
  readonly #timeToHold: number[] = [];
  #lastAbandonedExpiry = 0;
  readonly #runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

  constructor(api: Api, options: SaleOptions) {
    this.#api = api;
    this.#options = options;
    this.#random = seededRandom(options.seed ?? 1);
    this.done = this.#run();
  }

  async #run(): Promise<SaleResult> {
    const startedAt = performance.now();
    await Promise.all(this.#options.members.map((member, index) => this.#visitor(member, index, startedAt)));
    return {
      startedAt,
      endedAt: performance.now(),
      stats: this.stats,
      payments: this.#payments,
      caused: this.#caused,
      timeToHold: this.#timeToHold,
      lastAbandonedExpiry: this.#lastAbandonedExpiry,
    };
  }

  async #visitor(member: Member, index: number, openedAt: number): Promise<void> {
    const { screeningId, mix } = this.#options;
    const want = 1 + Math.floor(this.#random() * 4);
    const choice = this.#random();
    await sleep(this.#random() * (this.#options.jitterMs ?? 250));
    // Drawn only when asked for, so runs without best-N keep their seeded choices.
    const best = (this.#options.bestShare ?? 0) > 0 && this.#random() < (this.#options.bestShare ?? 0);
    let hold = best ? await this.#holdBest(member, want) : await this.#hold(member, want);
    const { comeBack } = this.#options;
    if (!hold && comeBack && this.#random() < comeBack.share)
      hold = await this.#comeBack(member, want, comeBack.everyMs);
    if (!hold) return;
    this.stats.holds++;
    if (best) this.stats.bestHolds++;
    this.#timeToHold.push(hold.end - openedAt);
    const seatIds: string[] = hold.body.seatIds;
    for (const seatId of seatIds)
      this.#caused.push({ seatId, status: 'HOLD', sent: hold.start, at: hold.end });

    const timeoutShare = mix.timeout ?? 0;
    const card =
      choice < mix.approve
        ? CARDS.approve
        : choice < mix.approve + mix.decline
          ? CARDS.decline
          : choice < mix.approve + mix.decline + timeoutShare
            ? CARDS.timeout
            : undefined;
    if (!card) {
      this.stats.abandoned++;
      this.#lastAbandonedExpiry = Math.max(this.#lastAbandonedExpiry, Date.parse(hold.body.expiresAt));
      return;
    }
    const key = `bench-${this.#runId}-${index}`;
    this.stats.paymentsStarted++;
    const reply = await this.#pay(member, key, {
      holdToken: hold.body.holdToken,
      screeningId,
      cardNumber: card,
    });
    this.stats.paymentsDone++;
    this.#payments.push({
      key,
      memberId: member.id,
      holdToken: hold.body.holdToken,
      seatIds,
      card,
      status: reply.status,
      code: reply.code,
      body: reply.body,
    });
    if (reply.status === 201)
      for (const seatId of seatIds)
        this.#caused.push({ seatId, status: 'RESERVED', sent: reply.start, at: reply.end });
  }

  /**
   * Reads the map (unless handed the seats a map just showed free), then tries seats it showed free;
   * on 409 others, up to holdRetries more times.
   */
  async #hold(member: Member, want: number, seenFree: string[] = []): Promise<Reply<HoldBody> | undefined> {
    const { screeningId } = this.#options;
    let free = this.#shuffle(seenFree);
    let reads = seenFree.length > 0 ? 1 : 0;
    let refusals = 0;
    const deadline = performance.now() + (this.#options.persistForMs ?? 60_000);
    while (refusals <= (this.#options.holdRetries ?? 3)) {
      if (free.length === 0) {
        if (reads++ > 1) return undefined; // sold out, as far as this VU can see
        const map = await this.#api.seatMap(screeningId);
        if (map.status !== 200) {
          if (!this.#keepTrying(map, deadline)) return undefined;
          await sleep(200);
          continue;
        }
        free = this.#shuffle(
          map.body.seats.filter((seat) => seat.status === 'AVAILABLE').map((s) => s.seatId),
        );
        if (free.length === 0) return undefined;
      }
      const seatIds = free.splice(0, want);
      this.stats.holdAttempts++;
      const reply = await this.#api.hold(member.token, screeningId, seatIds);
      if (reply.status === 201) return reply;
      if (reply.code === 'SEAT_NOT_AVAILABLE') {
        refusals++;
        const taken = new Set<string>(reply.body.unavailableSeatIds ?? seatIds);
        free.push(...seatIds.filter((seatId) => !taken.has(seatId)));
      } else if (this.#keepTrying(reply, deadline)) {
        free.unshift(...seatIds);
        await sleep(200);
      } else {
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * Waits for seats to come free while some are held; tries those the map showed free as #hold does
   * (fewer than `want` if so).
   */
  async #comeBack(member: Member, want: number, everyMs: number): Promise<Reply<HoldBody> | undefined> {
    const deadline = performance.now() + (this.#options.persistForMs ?? 60_000);
    while (performance.now() < deadline) {
      await sleep(everyMs * (0.5 + this.#random()));
      const map = await this.#api.seatMap(this.#options.screeningId);
      if (map.status !== 200) continue;
      const free = map.body.seats.filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.seatId);
      if (free.length > 0) {
        const hold = await this.#hold(member, want, free);
        if (hold) return hold;
      } else if (
        !map.body.seats.some((seat) => seat.status === 'HOLD' || seat.status === 'PAYMENT_PENDING')
      ) {
        return undefined; // sold out for good
      }
    }
    return undefined;
  }

  /** Asks for the best `want` seats; NOT_ENOUGH_SEATS means sold out for this VU. */
  async #holdBest(member: Member, want: number): Promise<Reply<HoldBody> | undefined> {
    const deadline = performance.now() + (this.#options.persistForMs ?? 60_000);
    for (;;) {
      this.stats.holdAttempts++;
      this.stats.bestAttempts++;
      const reply = await this.#api.holdBest(member.token, this.#options.screeningId, want);
      if (reply.status === 201) return reply;
      if (!this.#keepTrying(reply, deadline)) return undefined;
      await sleep(200);
    }
  }

  async #pay(
    member: Member,
    key: string,
    body: { holdToken: string; screeningId: string; cardNumber: string },
  ): Promise<Reply> {
    const deadline = performance.now() + (this.#options.persistForMs ?? 60_000);
    let reply = await this.#api.pay(member.token, key, body);
    while (
      !FINAL_PAYMENT.has(reply.status) &&
      reply.code !== 'HOLD_EXPIRED' &&
      this.#keepTrying(reply, deadline)
    ) {
      await sleep(250);
      reply = await this.#api.pay(member.token, key, body);
    }
    return reply;
  }

  #keepTrying(reply: Reply, deadline: number): boolean {
    return Boolean(this.#options.persistent) && isTransient(reply) && performance.now() < deadline;
  }

  #shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}
