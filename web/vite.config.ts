// Builds the seat-map page (web/) into dist/web: wrangler serves it as the Worker's static assets,
// and the Node/Deno entries serve it through src/http/web-page.ts. The build fails above the budget.
// It also copies the API reference's files (Swagger UI's script and stylesheet, from the pinned
// swagger-ui-dist package) to docs/, where /docs loads them (src/http/api-reference.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { DOCS_ASSETS } from '../src/http/api-reference.ts';

const BUDGET_BYTES = 60 * 1024;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), apiReferenceFiles(), sizeBudget(BUDGET_BYTES)],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});

/** Emits each of DOCS_ASSETS, a file of swagger-ui-dist, where /docs loads it. */
function apiReferenceFiles(): Plugin {
  return {
    name: 'marquee-api-reference-files',
    apply: 'build',
    generateBundle() {
      const require = createRequire(import.meta.url);
      for (const [file, path] of Object.entries(DOCS_ASSETS)) {
        const text = readFileSync(require.resolve(`swagger-ui-dist/${file}`), 'utf8');
        // The source maps are not copied: no reference to them, so no browser asks for one.
        const source = text.replace(/\n\/[/*]# sourceMappingURL=.*\s*$/, '\n');
        this.emitFile({ type: 'asset', fileName: path.slice(1), source });
      }
    },
  };
}

/**
 * Sums what a browser downloads for the page (every emitted file, gzipped, but the API reference's,
 * which only /docs loads) and refuses a build over `limit`.
 */
function sizeBudget(limit: number): Plugin {
  return {
    name: 'marquee-size-budget',
    apply: 'build',
    writeBundle(_options, bundle) {
      let total = 0;
      for (const file of Object.values(bundle)) {
        if (file.fileName.startsWith('docs/')) continue;
        total += gzipSync(file.type === 'chunk' ? file.code : file.source).length;
      }
      const summary = `${(total / 1024).toFixed(1)} KB gzipped (budget ${limit / 1024} KB)`;
      if (total > limit) this.error(`the web page is ${summary}`);
      console.log(`web page: ${summary}`);
    },
  };
}
