// GET /docs: the interactive API reference (Scalar) over /openapi.json. Its script is Scalar's own
// standalone bundle from the pinned @scalar/api-reference package, copied into the built page at
// DOCS_SCRIPT by web/vite.config.ts and served from this origin like the page (wrangler [assets] on
// Workers, mountWebPage on Node and Deno): the page loads nothing from anywhere else, and its
// Content-Security-Policy (middleware/response-headers.ts) forbids it to.
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from './context.ts';

/** Where the reference's script is served, relative to the built page (dist/web). */
export const DOCS_SCRIPT = '/docs/scalar.js';

export const apiReference = Scalar<AppEnv>((c) => ({
  url: '/openapi.json',
  pageTitle: 'Marquee API',
  cdn: DOCS_SCRIPT,
  // The nonce of the page's CSP; Scalar puts it on its two script tags.
  nonce: (c.var as { secureHeadersNonce?: string }).secureHeadersNonce,
  // Nothing from Scalar's servers: no web fonts, no request proxy for "Test request", none of its
  // hosted extras (AI agent, MCP, developer tools).
  withDefaultFonts: false,
  proxyUrl: '',
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
}));
