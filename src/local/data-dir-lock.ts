// One process at a time per DATA_DIR: two processes on the same embedded Postgres files or wrangler
// state corrupt them (a seat sold twice, writes lost on restart). The lock is a file holding the
// owner's PID, created exclusively; a lock whose PID is no longer alive (a killed process) is stale
// and taken over. A PID reused by an unrelated process after a crash still counts as alive: the
// message names it, and removing DATA_DIR/marquee.lock by hand clears it.
import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartupError } from './database.ts';

const LOCK_FILE = 'marquee.lock';

export interface DataDirLock {
  release(): void;
}

/** Takes the lock on an existing directory, or throws a StartupError naming the process that has it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  // The PID is written first and linked into place, so a lock file is never seen empty.
  const mine = join(dir, `${LOCK_FILE}.${process.pid}`);
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    try {
      linkSync(mine, file);
      return ownLock(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner !== undefined && owner !== process.pid && isAlive(owner))
      throw new StartupError(`DATA_DIR ${dir} is in use by PID ${owner}`);
    // Stale: its process is gone. Replace it in one step; of two starters doing so at once the
    // last rename wins, and the other sees the winner's PID when it reads back.
    renameSync(mine, file);
    const winner = readOwner(file);
    if (winner !== process.pid) throw new StartupError(`DATA_DIR ${dir} is in use by PID ${winner}`);
    return ownLock(file);
  } finally {
    rmSync(mine, { force: true });
  }
}

function ownLock(file: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readOwner(file) === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  // However the process ends (process.exit in a signal handler included), the lock goes with it.
  process.on('exit', release);
  return { release };
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
