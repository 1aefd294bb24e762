// Secrets and local-only bindings that `wrangler types` cannot see in wrangler.toml.
declare namespace Cloudflare {
  interface Env {
    DATABASE_URL?: string;
    JWT_SECRET?: string;
    /** Local development only: the WebSocket-to-TCP relay in front of Postgres. */
    PG_WS_PROXY?: string;
    ADMIN_LOGIN_ID?: string;
    /** Production: the Hyperdrive binding of wrangler.toml (left out when its block is deleted). */
    HYPERDRIVE?: Hyperdrive;
  }
}
