// Miniflare's local Hyperdrive binding dials the database itself and wants a password in the URL;
// the local databases here use trust auth and ignore it. Used by the test projects and the bench.
export function localHyperdriveUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password ||= 'unused';
  return url.toString();
}
