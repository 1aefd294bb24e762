// The denial-of-inventory attacker of `npm run bench:attack` (and of test/node/hold-attack.test.ts),
// on Marquee's public API only. It knows what the API documents (8 seats per member per screening,
// the domain's MAX_HELD_SEATS_PER_MEMBER) and learns every other limit from the answers: it signs
// up accounts only when every account it has is full, refused or cooling on the seats at hand, and
// takes a new client address only when the ones it has are refused. A hold refused 429 is tried
// again with half the seats (so an address's hourly budget is used to the last seat); a one-seat
// hold refused 429 means the address is spent.
// Addresses are simulated with a header the server is set to read (X-Forwarded-For behind
// TRUST_PROXY=1 on Node, CF-Connecting-IP on workerd). Everything it is refused is counted by code.

import { MAX_HELD_SEATS_PER_MEMBER } from '../../src/domain/seats/index.ts';

/** The header the server reads the client address from (TRUST_PROXY=1 on Node; workerd). */
export type AddressHeader = 'x-forwarded-for' | 'cf-connecting-ip';

export interface Address {
  ip: string;
  /** Until when (epoch ms) it was refused a one-seat hold with 429: Retry-After told it. */
  spentUntil?: number;
  /** The most seats to ask for from it (halved on each 429). */
  tryAtMost: number;
  /** Refused a sign-up with 429. */
  signupsSpent: boolean;
  seatsHeld: number;
  /** Retry-After of the 429 that spent it, in seconds (its hourly window). */
  retryAfter?: number;
}

/** Refused holds for the rest of a window the server named. */
export const isSpent = (address: Address, now = Date.now()) =>
  address.spentUntil !== undefined && address.spentUntil > now;

/**
 * A 429 whose Retry-After is at most a minute is a per-minute limit (holds per member, requests per
 * address): waited out.
 */
const MINUTE_LIMIT_SECONDS = 60;

export interface Account {
  loginId: string;
  token: string;
  /** Seats it holds per screening, as far as the attacker knows. */
  held: Map<string, number>;
  /** Screenings where it was refused SCREENING_LIMIT_EXCEEDED. */
  barred: Set<string>;
  /** Seats it may not take now (HOLD_COOLDOWN told it so). */
  cooling: Set<string>;
  /** Its live holds: token, screening and seats. */
  holds: Hold[];
}

export interface Hold {
  token: string;
  screeningId: string;
  seatIds: string[];
  expiresAt: number;
  address: Address;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field
  body: any;
}

export interface PlaceOptions {
  /** May sign up more accounts when none of its own can take the seats. */
  newAccounts: boolean;
  /** May take more client addresses when its own are spent. */
  newAddresses: boolean;
}

export interface Placed {
  held: number;
  /** Seats held with the accounts and addresses of `own` (default: those it had before the call). */
  heldWithOwn: number;
  /** Seats held by the account that had just given them back (`prefer`). */
  heldByPreferred: number;
  accountsAdded: number;
  addressesAdded: number;
  /** Addresses and accounts that got a hold. */
  addressesUsed: Set<Address>;
  accountsUsed: Set<Account>;
  refusals: Record<string, number>;
}

export interface Resources {
  accounts: ReadonlySet<Account>;
  addresses: ReadonlySet<Address>;
}

const nothingPlaced = (): Placed => ({
  held: 0,
  heldWithOwn: 0,
  heldByPreferred: 0,
  accountsAdded: 0,
  addressesAdded: 0,
  addressesUsed: new Set(),
  accountsUsed: new Set(),
  refusals: {},
});

function addUp(total: Placed, part: Placed): void {
  total.held += part.held;
  total.heldWithOwn += part.heldWithOwn;
  total.heldByPreferred += part.heldByPreferred;
  total.accountsAdded += part.accountsAdded;
  total.addressesAdded += part.addressesAdded;
  for (const address of part.addressesUsed) total.addressesUsed.add(address);
  for (const account of part.accountsUsed) total.accountsUsed.add(account);
  for (const [code, count] of Object.entries(part.refusals))
    total.refusals[code] = (total.refusals[code] ?? 0) + count;
}

const PASSWORD = 'attack-password-1';
/** Addresses it takes at most (a server that never tells addresses apart would need endless ones). */
export const MAX_ADDRESSES = 64;

export class Attacker {
  readonly accounts: Account[] = [];
  readonly addresses: Address[] = [];
  readonly signupRefusals: { status: number; code?: string; retryAfter?: number }[] = [];
  /** Milliseconds spent signing up and logging in. */
  signupMs = 0;
  requests = 0;
  readonly #base: string;
  readonly #addressHeader: string;
  readonly #ipPrefix: string;

  constructor(
    baseUrl: string,
    addressHeader: 'x-forwarded-for' | 'cf-connecting-ip',
    ipPrefix = '203.0.113',
  ) {
    this.#base = baseUrl;
    this.#addressHeader = addressHeader;
    this.#ipPrefix = ipPrefix;
  }

  async call(method: string, path: string, address: Address, token?: string, body?: unknown): Promise<Reply> {
    this.requests++;
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: {
        [this.#addressHeader]: address.ip,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  newAddress(): Address {
    const address: Address = {
      ip: `${this.#ipPrefix}.${this.addresses.length + 1}`,
      tryAtMost: MAX_HELD_SEATS_PER_MEMBER,
      signupsSpent: false,
      seatsHeld: 0,
    };
    this.addresses.push(address);
    return address;
  }

  /** Signs up and logs in one more account, from the first address whose sign-ups are not spent. */
  async signUp(allowNewAddress = true): Promise<Account | undefined> {
    const started = performance.now();
    try {
      const loginId = `atk${Date.now().toString(36)}${this.accounts.length}${Math.floor(Math.random() * 1e4)}`;
      for (;;) {
        let address = this.addresses.find((candidate) => !candidate.signupsSpent);
        if (!address) {
          if (!allowNewAddress || this.addresses.length >= MAX_ADDRESSES) return undefined;
          address = this.newAddress();
        }
        const made = await this.call('POST', '/api/auth/signup', address, undefined, {
          loginId,
          password: PASSWORD,
        });
        if (made.status === 429) {
          this.signupRefusals.push({ status: 429, code: made.body?.code, retryAfter: made.body?.retryAfter });
          address.signupsSpent = true;
          continue;
        }
        if (made.status !== 201)
          throw new Error(`sign-up answered ${made.status} ${JSON.stringify(made.body)}`);
        const login = await this.call('POST', '/api/auth/login', address, undefined, {
          loginId,
          password: PASSWORD,
        });
        if (login.status !== 200)
          throw new Error(`login answered ${login.status} ${JSON.stringify(login.body)}`);
        const account: Account = {
          loginId,
          token: login.body.accessToken,
          held: new Map(),
          barred: new Set(),
          cooling: new Set(),
          holds: [],
        };
        this.accounts.push(account);
        return account;
      }
    } finally {
      this.signupMs += performance.now() - started;
    }
  }

  async seatMap(screeningId: string): Promise<{ seatId: string; status: string }[]> {
    const map = await this.call('GET', `/api/screenings/${screeningId}/seats`, this.#anyAddress());
    if (map.status !== 200) throw new Error(`seat map answered ${map.status}`);
    return map.body.seats;
  }

  /** Seats of the screening that are not AVAILABLE. */
  async heldSeats(screeningId: string): Promise<number> {
    return (await this.seatMap(screeningId)).filter((seat) => seat.status !== 'AVAILABLE').length;
  }

  #anyAddress(): Address {
    return this.addresses[0] ?? this.newAddress();
  }

  /** What it has now, to tell later which seats were held with it. */
  resources(): Resources {
    return { accounts: new Set(this.accounts), addresses: new Set(this.addresses) };
  }

  /**
   * Holds `seatIds` of the screening, in blocks of up to 8, with whatever accounts and addresses it
   * takes (within `options`); stops when it cannot go on. `prefer` is tried first (the account that
   * has just given these seats back). Seats refused as taken are dropped.
   */
  async place(
    screeningId: string,
    seatIds: string[],
    options: PlaceOptions & { prefer?: Account; own?: Resources },
  ): Promise<Placed> {
    const own = options.own ?? this.resources();
    const result = nothingPlaced();
    const refuse = (key: string) => {
      result.refusals[key] = (result.refusals[key] ?? 0) + 1;
    };
    const room = (account: Account) => MAX_HELD_SEATS_PER_MEMBER - (account.held.get(screeningId) ?? 0);
    const usableFor = (account: Account, seat: string) =>
      room(account) > 0 && !account.barred.has(screeningId) && !account.cooling.has(seat);
    const queue = [...seatIds];
    while (queue.length > 0) {
      const first = queue[0] as string;
      let account =
        options.prefer && usableFor(options.prefer, first)
          ? options.prefer
          : this.accounts.find((candidate) => usableFor(candidate, first));
      if (!account) {
        if (!options.newAccounts) break;
        account = await this.signUp(options.newAddresses);
        if (!account) break;
        result.accountsAdded++;
      }
      let address = this.addresses.find((candidate) => !isSpent(candidate));
      if (!address) {
        if (!options.newAddresses || this.addresses.length >= MAX_ADDRESSES) break;
        address = this.newAddress();
        result.addressesAdded++;
      }
      const holder = account;
      const block = queue
        .filter((seat) => !holder.cooling.has(seat))
        .slice(0, Math.min(room(account), address.tryAtMost));
      const answer = await this.call('POST', `/api/screenings/${screeningId}/holds`, address, account.token, {
        seatIds: block,
      });
      if (answer.status === 201) {
        const seats: string[] = answer.body.seatIds;
        account.held.set(screeningId, (account.held.get(screeningId) ?? 0) + seats.length);
        account.holds.push({
          token: answer.body.holdToken,
          screeningId,
          seatIds: seats,
          expiresAt: Date.parse(answer.body.expiresAt),
          address,
        });
        address.seatsHeld += seats.length;
        result.held += seats.length;
        result.addressesUsed.add(address);
        result.accountsUsed.add(account);
        if (own.accounts.has(account) && own.addresses.has(address)) result.heldWithOwn += seats.length;
        if (account === options.prefer) result.heldByPreferred += seats.length;
        for (const seat of seats) queue.splice(queue.indexOf(seat), 1);
        continue;
      }
      const code: string = answer.body?.code ?? String(answer.status);
      const retryAfter = Number(answer.body?.retryAfter ?? 0);
      if (answer.status === 429 && retryAfter <= MINUTE_LIMIT_SECONDS) {
        refuse(`${code} (per minute)`);
        await new Promise((done) => setTimeout(done, retryAfter * 1000));
        continue;
      }
      refuse(code);
      if (answer.status === 429) {
        if (block.length > 1) address.tryAtMost = Math.floor(block.length / 2);
        else {
          address.spentUntil = Date.now() + retryAfter * 1000;
          address.retryAfter = retryAfter;
          address.tryAtMost = MAX_HELD_SEATS_PER_MEMBER;
        }
      } else if (code === 'HOLD_COOLDOWN') {
        for (const seat of answer.body.seatIds ?? block) account.cooling.add(seat);
      } else if (code === 'SCREENING_LIMIT_EXCEEDED') {
        account.barred.add(screeningId);
      } else if (code === 'HOLD_LIMIT_EXCEEDED') {
        account.held.set(screeningId, MAX_HELD_SEATS_PER_MEMBER);
      } else if (code === 'SEAT_NOT_AVAILABLE') {
        for (const seat of answer.body.unavailableSeatIds ?? []) queue.splice(queue.indexOf(seat), 1);
      } else {
        throw new Error(`hold answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    return result;
  }

  /** Gives a hold back (DELETE), from the address that made it. */
  async release(account: Account, hold: Hold): Promise<number> {
    const answer = await this.call(
      'DELETE',
      `/api/screenings/${hold.screeningId}/holds/${hold.token}`,
      hold.address,
      account.token,
    );
    if (answer.status === 204) {
      account.holds.splice(account.holds.indexOf(hold), 1);
      account.held.set(hold.screeningId, (account.held.get(hold.screeningId) ?? 0) - hold.seatIds.length);
    }
    return answer.status;
  }

  /**
   * Release and re-hold: each account in turn gives its holds of the screening back and asks for the
   * same seats again at once; what it is refused goes to whichever account can take the seats (a
   * spare, or one that has given its own back), so they are free only from one request to the next.
   */
  async rehold(screeningId: string, options: PlaceOptions & { own?: Resources }): Promise<Placed> {
    const total = nothingPlaced();
    const holders = this.accounts.filter((account) =>
      account.holds.some((h) => h.screeningId === screeningId),
    );
    for (const account of holders)
      for (const hold of account.holds.filter((h) => h.screeningId === screeningId)) {
        if ((await this.release(account, hold)) !== 204) continue;
        addUp(total, await this.place(screeningId, hold.seatIds, { ...options, prefer: account }));
      }
    return total;
  }

  /** Extends every hold of the screening (POST …/extend): how many were extended, and the answers. */
  async extendAll(screeningId: string): Promise<{ extended: number; codes: Record<string, number> }> {
    const codes: Record<string, number> = {};
    let extended = 0;
    for (const account of this.accounts)
      for (const hold of account.holds.filter((h) => h.screeningId === screeningId)) {
        const answer = await this.call(
          'POST',
          `/api/screenings/${screeningId}/holds/${hold.token}/extend`,
          hold.address,
          account.token,
        );
        const key = answer.status === 200 ? '200' : (answer.body?.code ?? String(answer.status));
        codes[key] = (codes[key] ?? 0) + 1;
        if (answer.status === 200) {
          extended++;
          hold.expiresAt = Date.parse(answer.body.expiresAt);
        }
      }
    return { extended, codes };
  }
}
