// `npm run openapi`: writes the OpenAPI document generated from the zod schemas, which the route serves as is
// (so its Lambda bundles one JSON file, not every route module). A test fails when it is out of date.
import { writeFileSync } from 'node:fs';
import { buildOpenApi } from './openapi-document.js';

const path = new URL('./openapi.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(await buildOpenApi(), null, 1)}\n`);
console.log(`wrote ${path.pathname}`);
