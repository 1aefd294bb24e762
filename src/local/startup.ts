// What the local commands share at startup: a problem reported in one line saying what to do (not
// a stack trace), and a signing key for a run that was given none.
import { SettingsError } from '../config/settings.ts';
import { StartupError } from './database.ts';

export function fail(error: unknown): never {
  if (error instanceof StartupError || error instanceof SettingsError) {
    console.error(`marquee: ${error.message}`);
  } else {
    console.error('marquee: unexpected failure:', error);
  }
  process.exit(1);
}

/** A random HS256 key for a local run without JWT_SECRET: tokens die with the process. */
export function randomSecret(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}
