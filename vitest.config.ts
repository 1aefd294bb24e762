// Three projects: pure unit tests in Node, Node-side integration (migrations, constraints, relay,
// dev runner), and the Worker itself inside workerd. All share one database made by global-setup.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    // Request logs of passing tests are noise; a failing test still shows its own.
    silent: 'passed-only',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                DATABASE_URL: inject('databaseUrl'),
                PG_WS_PROXY: inject('wsProxy'),
                JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
                ADMIN_LOGIN_ID: 'admin',
              },
            },
          })),
        ],
        test: { name: 'worker', include: ['test/worker/**/*.test.ts'], testTimeout: 30_000 },
      },
    ],
  },
});
