// Builds the seat-map page (web/) into dist/web: wrangler serves it as the Worker's static assets,
// and the Node/Deno entries serve it through src/http/web-page.ts. The build fails above the budget.
// It also copies the API reference's script (Scalar's standalone bundle, from the pinned
// @scalar/api-reference package) to docs/scalar.js, where /docs loads it (src/http/api-reference.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const BUDGET_BYTES = 60 * 1024;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), apiReferenceScript(), sizeBudget(BUDGET_BYTES)],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});

/** Where /docs loads its script from, under the built page (DOCS_SCRIPT in src/http/api-reference.ts). */
const DOCS_SCRIPT_FILE = 'docs/scalar.js';

/** Emits Scalar's standalone bundle (dist/browser/standalone.js of @scalar/api-reference) as docs/scalar.js. */
function apiReferenceScript(): Plugin {
  return {
    name: 'marquee-api-reference-script',
    apply: 'build',
    generateBundle() {
      // The package exports no path to the bundle; its main entry sits beside the browser/ folder.
      const main = createRequire(import.meta.url).resolve('@scalar/api-reference');
      const source = readFileSync(join(dirname(main), 'browser', 'standalone.js'));
      this.emitFile({ type: 'asset', fileName: DOCS_SCRIPT_FILE, source });
    },
  };
}

/**
 * Sums what a browser downloads for the page (every emitted file, gzipped, but the API reference's
 * script, which only /docs loads) and refuses a build over `limit`.
 */
function sizeBudget(limit: number): Plugin {
  return {
    name: 'marquee-size-budget',
    apply: 'build',
    writeBundle(_options, bundle) {
      let total = 0;
      for (const file of Object.values(bundle)) {
        if (file.fileName === DOCS_SCRIPT_FILE) continue;
        total += gzipSync(file.type === 'chunk' ? file.code : file.source).length;
      }
      const summary = `${(total / 1024).toFixed(1)} KB gzipped (budget ${limit / 1024} KB)`;
      if (total > limit) this.error(`the web page is ${summary}`);
      console.log(`web page: ${summary}`);
    },
  };
}
