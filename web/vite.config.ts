// Builds the seat-map page (web/) into dist/web: wrangler serves it as the Worker's static assets,
// and the Node/Deno entries serve it through src/http/web-page.ts. The build fails above the budget.
import { gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const BUDGET_BYTES = 60 * 1024;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), sizeBudget(BUDGET_BYTES)],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});

/** Sums what a browser downloads (every emitted file, gzipped) and refuses a build over `limit`. */
function sizeBudget(limit: number): Plugin {
  return {
    name: 'marquee-size-budget',
    apply: 'build',
    writeBundle(_options, bundle) {
      let total = 0;
      for (const file of Object.values(bundle)) {
        total += gzipSync(file.type === 'chunk' ? file.code : file.source).length;
      }
      const summary = `${(total / 1024).toFixed(1)} KB gzipped (budget ${limit / 1024} KB)`;
      if (total > limit) this.error(`the web page is ${summary}`);
      console.log(`web page: ${summary}`);
    },
  };
}
