// GET /docs: the interactive API reference (Swagger UI) over /openapi.json. Its script and
// stylesheet are Swagger UI's own built files from the pinned swagger-ui-dist package, copied into
// the built page at DOCS_ASSETS by web/vite.config.ts and served from this origin like the page
// (wrangler [assets] on Workers, mountWebPage on Node and Deno): the page loads nothing from anywhere
// else, and its Content-Security-Policy (middleware/response-headers.ts) forbids it to.
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { AppEnv } from './context.ts';

/** Where the reference's files are served, relative to the built page (dist/web), by file of swagger-ui-dist. */
export const DOCS_ASSETS = {
  'swagger-ui-bundle.js': '/docs/swagger-ui-bundle.js',
  'swagger-ui-bundle.js.LICENSE.txt': '/docs/swagger-ui-bundle.js.LICENSE.txt',
  'swagger-ui.css': '/docs/swagger-ui.css',
} as const;

/**
 * Swagger UI's settings. No validator badge (it would load an image from validator.swagger.io);
 * "Try it out" calls the document's server, which is this origin.
 */
const SETTINGS = {
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  filter: true,
  validatorUrl: null,
};

export const apiReference = (c: Context<AppEnv>) => {
  // The nonce of the page's CSP, on both script tags.
  const nonce = (c.var as { secureHeadersNonce?: string }).secureHeadersNonce;
  return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Marquee API</title>
    <link rel="stylesheet" href="${DOCS_ASSETS['swagger-ui.css']}" />
  </head>
  <body>
    <main id="reference"></main>
    <script nonce="${nonce}" src="${DOCS_ASSETS['swagger-ui-bundle.js']}"></script>
    <script nonce="${nonce}">
      SwaggerUIBundle(${raw(JSON.stringify(SETTINGS))});
    </script>
  </body>
</html>`);
};
