// `npm run lint:openapi` (first half): writes the OpenAPI document the app serves at /openapi.json
// to the file named on the command line (default dist/openapi.json), without a runtime or a
// database: the document is made of the routes' definitions alone. Redocly then lints that file.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { apiRoutes, openApiDocument } from '../http/app.ts';

const out = process.argv[2] ?? 'dist/openapi.json';
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(openApiDocument(apiRoutes()), null, 2)}\n`);
console.log(`wrote ${out}`);
