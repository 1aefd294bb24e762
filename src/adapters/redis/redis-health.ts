// Is Redis there? (the seed's RedisHealthChecker.) A ping every REDIS_HEALTH_INTERVAL_MS, and at once
// after any failed command or a reconnect. Writes are accepted only while UP; after an outage the
// recovery (rebuilding seat state from Postgres) runs before the state goes back to UP.
import { log } from '../../log.ts';
import { command, type RedisClient } from './redis-client.ts';

export type RedisState = 'UP' | 'DOWN' | 'RECOVERING';

export class RedisHealth {
  readonly #client: RedisClient;
  readonly #intervalMs: number;
  readonly #recover: () => Promise<void>;
  #state: RedisState = 'DOWN';
  #timer: ReturnType<typeof setInterval> | undefined;
  #checking: Promise<void> | undefined;
  #checkAgain = false;

  constructor(client: RedisClient, intervalMs: number, recover: () => Promise<void>) {
    this.#client = client;
    this.#intervalMs = intervalMs;
    this.#recover = recover;
    client.on('ready', () => void this.check());
  }

  get state(): RedisState {
    return this.#state;
  }

  get up(): boolean {
    return this.#state === 'UP';
  }

  start(): Promise<void> {
    this.#timer ??= setInterval(() => void this.check(), this.#intervalMs);
    return this.check();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A command failed for want of Redis: stop accepting writes now, and find out whether it is back. */
  failed(error: unknown): void {
    if (this.#state === 'UP') {
      this.#state = 'DOWN';
      log('error', 'redis is down: seat writes are refused until it is back', { error: String(error) });
    }
    void this.check();
  }

  /**
   * One check at a time; asked again meanwhile (a reconnect during a failing ping), it checks once
   * more. A check that finds Redis back runs the recovery first.
   */
  check(): Promise<void> {
    if (this.#checking) {
      this.#checkAgain = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      do {
        this.#checkAgain = false;
        await this.#check();
      } while (this.#checkAgain);
    })().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #check(): Promise<void> {
    try {
      await command(this.#client, ['PING']);
    } catch (error) {
      if (this.#state !== 'DOWN') log('error', 'redis is down', { error: String(error) });
      this.#state = 'DOWN';
      return;
    }
    if (this.#state === 'UP') return;
    this.#state = 'RECOVERING';
    try {
      await this.#recover();
      this.#state = 'UP';
      log('info', 'redis is up: seat state checked against Postgres, writes accepted');
    } catch (error) {
      this.#state = 'DOWN';
      log('error', 'redis recovery failed; retrying', { error: String(error) });
    }
  }
}
