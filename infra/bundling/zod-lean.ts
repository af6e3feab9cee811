/**
 * What `import { z } from 'zod'` resolves to inside the Lambda bundles (esbuild `--alias:zod=<this file>`,
 * see infra/bundling/options.ts). It mirrors zod's classic entry, node_modules/zod/index.js over
 * node_modules/zod/v4/classic/external.js, export for export, with one difference: `locales` (and
 * `core.locales`) hold English only. zod's classic API keeps every locale reachable from the `z`
 * namespace, so a bundle carries all of them (~250 KB minified) even though zod only ever uses English
 * unless told otherwise. The schema classes are zod's own files, so instances, `instanceof z.ZodError`
 * and error messages are exactly those of the package. Node, tsx and vitest never see this file.
 */
import { config } from '../../node_modules/zod/v4/core/index.js';
import en from '../../node_modules/zod/v4/locales/en.js';
import * as z from './zod-lean-external.js';

export * from './zod-lean-external.js';
export { z, z as default };

// English, as zod's classic API sets it (lazily, on the first schema); explicit here.
config(en());
