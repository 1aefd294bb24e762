// What every drill shares: a database of its own (dropped at the end), a small sale whose VUs keep
// asking through the fault, waiting for the coordinator to settle what the fault left behind, and
// the closing check, printed as "sold twice: 0, paid without seat: 0, seat without payment: 0"
// (see invariants.ts for exactly what each counts) plus whether the coordinator's map agrees with
// Postgres. A drill exits non-zero on any violation.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConnection } from '../../src/adapters/db/client.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../src/local/scratch-database.ts';
import { flushRedis, redisUrl } from '../../test/support/redis.ts';
import { insertScreening } from '../../test/support/screening-fixture.ts';
import { Sale, type SaleMix } from '../flow.ts';
import { drillLine, type Invariants, settledInvariants, violations } from '../invariants.ts';
import { startMarqueeNode } from '../runtimes/node.ts';
import { ROOT, type Server } from '../runtimes/server.ts';
import { workersKit } from '../runtimes/workers.ts';
import { Api } from '../support/http.ts';
import { loggedInMembers, type Member } from '../support/members.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import { countByCode } from '../support/stats.ts';

export interface DrillContext {
  database: ScratchDatabase;
  connection: DatabaseConnection;
  /** A temporary directory of the drill's own (builds, storage, private servers). */
  tmp: string;
  logDir: string;
  log(line: string): void;
  /** The drill's own Postgres cluster, when it asked for one (the database lives there). */
  postgres?: PrivatePostgres;
}

export interface Verdict {
  label: string;
  found: Invariants;
  /** What the drill itself checked beyond the invariants, in words (empty: all fine). */
  problems: string[];
  /** The drill's requests counted by endpoint, status and code, to show what the fault did. */
  api?: Api;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a drill as a process: sets up, runs `body`, prints every verdict and exits 0 or 1. */
export async function runDrill(
  name: string,
  body: (context: DrillContext) => Promise<Verdict[]>,
  options: { privatePostgres?: boolean } = {},
): Promise<never> {
  const started = Date.now();
  const log = (line: string) =>
    console.log(`[${name} ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
  const tmp = await mkdtemp(join(tmpdir(), `marquee-drill-${name}-`));
  const logDir = join(ROOT, 'bench/results/logs', name);
  await mkdir(logDir, { recursive: true });
  let failed = false;
  let database: ScratchDatabase | undefined;
  let connection: DatabaseConnection | undefined;
  let postgres: PrivatePostgres | undefined;
  try {
    if (options.privatePostgres) postgres = await startPrivatePostgres();
    database = await createScratchDatabase('marquee_drill', postgres?.url);
    connection = database.connect(4);
    for (const verdict of await body({ database, connection, tmp, logDir, log, postgres })) {
      const problems = [...violations(verdict.found), ...verdict.problems];
      console.log(`${name} [${verdict.label}]: ${drillLine(verdict.found)}`);
      console.log(
        `${name} [${verdict.label}]: map agrees with Postgres: ${verdict.found.mapDisagreements ? `no (${verdict.found.mapDisagreements} seats)` : 'yes'}, ${verdict.found.soldSeats} seats sold`,
      );
      if (verdict.api) {
        const counts = countByCode(
          verdict.api.samples.map((s) => ({ ...s, code: `${s.endpoint} ${s.code ?? ''}`.trim() })),
        );
        console.log(
          `${name} [${verdict.label}]: answers: ${Object.entries(counts)
            .map(([code, n]) => `${code} ×${n}`)
            .join(', ')}`,
        );
      }
      for (const problem of problems) console.log(`${name} [${verdict.label}]: VIOLATION: ${problem}`);
      failed ||= problems.length > 0;
    }
  } catch (error) {
    failed = true;
    console.error(`${name}: the drill itself failed:`, error);
  } finally {
    if (failed) await printLogTails(logDir);
    await connection?.close().catch(() => {});
    // MARQUEE_DRILL_KEEP_DB=1 keeps the database for a look afterwards (on the shared server only).
    if (process.env.MARQUEE_DRILL_KEEP_DB === '1' && !postgres)
      console.log(`kept database: ${database?.url}`);
    else await database?.drop().catch(() => {});
    await postgres?.stop();
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
  }
  console.log(`${name}: ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(failed ? 1 : 0);
}

/** The last lines the servers logged (warnings and errors), so a failure elsewhere can be read. */
async function printLogTails(logDir: string): Promise<void> {
  for (const file of await readdir(logDir).catch(() => [])) {
    const lines = (await readFile(join(logDir, file), 'utf8').catch(() => '')).trimEnd().split('\n');
    console.log(`--- last lines of ${join(logDir, file)} ---\n${lines.slice(-15).join('\n')}`);
  }
}

export interface DrillSale {
  api: Api;
  screeningId: string;
  sale: Sale;
}

/** A 200-seat screening and a sale on it whose VUs keep asking through faults. */
export async function startSale(
  context: DrillContext,
  server: Server,
  options: {
    users: number;
    mix: SaleMix;
    seed?: number;
    /** Runs once the screening exists, before the first VU asks. */
    before?: (screeningId: string) => Promise<void>;
  },
): Promise<DrillSale> {
  const { screeningId } = await insertScreening(context.connection.db, { seats: 200 });
  const members: Member[] = await loggedInMembers(context.connection.db, options.users);
  await options.before?.(screeningId);
  const api = new Api(server.url, 64);
  const sale = new Sale(api, {
    screeningId,
    members,
    mix: options.mix,
    seed: options.seed ?? 7,
    persistent: true,
    persistForMs: 90_000,
  });
  return { api, screeningId, sale };
}

/**
 * Runs `drill` against Marquee on Workers, then on Node with Redis (database 14, flushed before and
 * after), each started with `settings` on the drill's database; the drill stops the server it gets.
 */
export async function onBothRuntimes(
  context: DrillContext,
  settings: Record<string, string>,
  drill: (label: string, server: Server) => Promise<Verdict>,
): Promise<Verdict[]> {
  const { url: databaseUrl } = context.database;
  const workers = await workersKit({ databaseUrl, buildDir: context.tmp, logDir: context.logDir });
  const verdicts = [await drill('Workers', await workers.marquee(settings))];
  const redis = redisUrl(14);
  await flushRedis(redis);
  verdicts.push(
    await drill(
      'Node + Redis',
      await startMarqueeNode({ databaseUrl, redisUrl: redis, settings, logDir: context.logDir }),
    ),
  );
  await flushRedis(redis);
  return verdicts;
}

/** Resolves once `ready()` is true, or throws after `timeoutMs`. */
export async function until(
  what: string,
  ready: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Payments of the screening whose row is written (step 4) and whose outcome is not (the gateway
 * is answering, or the reservation is being committed): where a fault hurts most.
 */
export async function paymentsMidway(context: DrillContext, screeningId: string): Promise<number> {
  const { rows } = await context.connection.pool.query(
    "select count(*)::int as count from payments where screening_id = $1 and status = 'PENDING'",
    [screeningId],
  );
  return Number(rows[0]?.count ?? 0);
}

/** The invariants once the coordinator has settled what the drill's fault left behind. */
export function settleAndCheck(context: DrillContext, api: Api, screeningId: string): Promise<Invariants> {
  return settledInvariants(context.connection.pool, api, screeningId);
}

/** Answers to a sale's requests counted by status, e.g. to show a fault was really met. */
export function answered(api: Api, status: number): number {
  return api.samples.filter((sample) => sample.status === status).length;
}
