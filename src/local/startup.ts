// How a local command reports a startup problem: one line saying what to do, not a stack trace.
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
