// Gives each request a lazily opened database lease and releases it after the response, in
// waitUntil where the runtime has one (a Worker's Pool must not outlive its request).
import { createMiddleware } from 'hono/factory';
import type { AppEnv, DatabaseLease, Runtime } from '../context.ts';
import { executionContextOf } from '../keep-working.ts';

export const databaseLease = (runtime: Runtime) =>
  createMiddleware<AppEnv>(async (c, next) => {
    let lease: DatabaseLease | undefined;
    c.set('runtime', runtime);
    c.set('settings', runtime.settings);
    c.set('db', () => {
      lease ??= runtime.openDatabase();
      return lease.db;
    });
    try {
      await next();
    } finally {
      if (lease) {
        const released = lease.release().catch(() => {});
        const ctx = executionContextOf(c);
        if (ctx) ctx.waitUntil(released);
        else await released;
      }
    }
  });
