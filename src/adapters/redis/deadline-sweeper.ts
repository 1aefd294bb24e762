// What alarms are to the actor, the sweeper is to the Redis coordinator: holds past their TTL are
// freed and pushed within a second, payments past their deadline settled, refunds retried.
// Which screenings have something due is kept as hints in one sorted set (screening → earliest
// deadline); a process adds one when a commit brings a screening's deadline forward, and one
// process at a time (a lease) sweeps.
// A hint may be early (a sweep that finds nothing due costs one script call); it is removed before
// the sweep and put back with what the sweep reports, and the coordinator's periodic re-index puts
// back one that a process dying in between took with it.
import { log } from '../../log.ts';
import { command, type RedisClient, Script } from './redis-client.ts';

export const DUE_HINTS = 'marquee:due';
const SWEEPER_LEASE = 'marquee:sweeper';
/** Screenings handled per tick; the rest wait for the next one. */
const BATCH = 200;

const LEASE_SCRIPT = new Script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`);

export interface SweeperOptions {
  client: RedisClient;
  /** This process, as the holder of the sweeper lease. */
  owner: string;
  intervalMs: number;
  /** Whether Redis takes writes now (the health checker says UP). */
  ready(): boolean;
  /** Sweeps one screening; the answer is its next deadline (epoch ms), or null when nothing is left. */
  sweep(screeningId: string): Promise<number | null>;
  /** When a sweep failed, how soon to try that screening again. */
  retryMs: number;
}

export class DeadlineSweeper {
  readonly #options: SweeperOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #stopped = false;

  constructor(options: SweeperOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Notes that `screeningId` has something due at `at`, unless an earlier hint is there already. */
  async hint(screeningId: string, at: number): Promise<void> {
    await command(this.#options.client, ['ZADD', DUE_HINTS, 'LT', String(Math.round(at)), screeningId]);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => void this.tick().finally(() => this.#schedule()),
      this.#options.intervalMs,
    );
  }

  /** One pass: every screening whose hint is due is swept. Exposed for tests. */
  async tick(): Promise<void> {
    if (this.#running || !this.#options.ready()) return;
    this.#running = true;
    const { client, owner, intervalMs } = this.#options;
    try {
      const lease = await LEASE_SCRIPT.run(client, [SWEEPER_LEASE], [owner, String(intervalMs * 8)]);
      if (Number(lease) !== 1) return;
      const due = await command<string[]>(client, [
        'ZRANGEBYSCORE',
        DUE_HINTS,
        '-inf',
        String(Date.now()),
        'LIMIT',
        '0',
        String(BATCH),
      ]);
      await Promise.all(due.map((screeningId) => this.#sweepOne(screeningId)));
    } catch (error) {
      log('warn', 'deadline sweep failed', { error: String(error) });
    } finally {
      this.#running = false;
    }
  }

  async #sweepOne(screeningId: string): Promise<void> {
    await command(this.#options.client, ['ZREM', DUE_HINTS, screeningId]);
    let next: number | null;
    try {
      next = await this.#options.sweep(screeningId);
    } catch (error) {
      log('warn', 'screening sweep failed; retrying', { screeningId, error: String(error) });
      next = Date.now() + this.#options.retryMs;
    }
    if (next !== null) await this.hint(screeningId, next);
  }
}
