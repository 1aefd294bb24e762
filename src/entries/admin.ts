// `npm run admin -- <command>`: the operator's tool against DATABASE_URL (over TLS when the URL asks
// for it): create the first admin, reset a member's password (ending their sessions), or load the
// demo catalog into a development database. Passwords come from ADMIN_PASSWORD or a terminal
// prompt that never echoes; nothing here has a default credential.
import process from 'node:process';
import { readSettings } from '../config/settings.ts';
import { openTcpDatabase, StartupError } from '../local/database.ts';
import { seedDemo } from '../local/seed.ts';
import { fail } from '../local/startup.ts';
import { AdminAccountError, createAdmin, resetPassword } from '../services/admin-account-service.ts';

const USAGE = 'usage: npm run admin -- create <loginId> | reset-password <loginId> | seed-demo';

async function main(args: string[]): Promise<string> {
  const [command, loginId, ...rest] = args;
  const needsLogin = command === 'create' || command === 'reset-password';
  if (!(needsLogin || command === 'seed-demo') || (needsLogin ? !loginId || rest.length : loginId))
    throw new StartupError(USAGE);
  const settings = readSettings({ DATABASE_URL: process.env.DATABASE_URL, TIMEZONE: process.env.TIMEZONE });
  if (!settings.DATABASE_URL)
    throw new StartupError('DATABASE_URL must be set: the admin command acts on it.');
  const password = needsLogin ? await passwordFor(loginId as string) : '';
  const { db, close } = await openTcpDatabase(settings.DATABASE_URL, 1);
  try {
    if (command === 'create') {
      const admin = await createAdmin(db, loginId as string, password);
      return `admin "${admin.loginId}" created`;
    }
    if (command === 'reset-password') {
      const member = await resetPassword(db, loginId as string, password);
      return `password of "${member.loginId}" reset; ${member.revokedTokens} refresh token(s) revoked`;
    }
    await seedDemo(db, settings.TIMEZONE);
    return 'demo catalog loaded: theater "Marquee Central", screenings for today and tomorrow';
  } finally {
    await close();
  }
}

/** ADMIN_PASSWORD, or asked twice on the terminal; never a default. */
async function passwordFor(loginId: string): Promise<string> {
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY)
    throw new StartupError('set ADMIN_PASSWORD, or run on a terminal to be asked for the password.');
  const first = await askHidden(`Password for ${loginId}: `);
  const second = await askHidden('Again: ');
  if (first !== second) throw new StartupError('the two passwords differ; nothing changed.');
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function askHidden(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  // Raw (no echo) before the prompt shows, so nothing typed once it is visible can be echoed.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(value));
        if (char === '\u0003') return finish(() => reject(new StartupError('cancelled; nothing changed.')));
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

try {
  console.log(await main(process.argv.slice(2)));
} catch (error) {
  fail(error instanceof AdminAccountError ? new StartupError(error.message) : error);
}
