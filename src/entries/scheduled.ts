// The Workers cron trigger: purges finished screenings' actor storage and records past their
// retention. Each step is idempotent, so a run that dies half-way is finished by the next.
import type { Database } from '../adapters/db/client.ts';
import {
  deleteExpiredRecords,
  finishedScreeningsToPurge,
  markPurged,
} from '../adapters/db/retention-repository.ts';
import { log } from '../log.ts';

export interface PurgeTarget {
  purge(screeningId: string): Promise<void>;
}

export async function runRetention(db: Database, actors: PurgeTarget) {
  const finished = await finishedScreeningsToPurge(db);
  for (const screeningId of finished) {
    await actors.purge(screeningId);
    await markPurged(db, screeningId);
  }
  const deleted = await deleteExpiredRecords(db);
  log('info', 'retention run', { purgedScreenings: finished.length, ...deleted });
  return { purgedScreenings: finished, ...deleted };
}
