/**
 * What `import { z } from 'zod'` and `import z from 'zod'` resolve to inside the Lambda bundles (esbuild
 * `--alias:zod=<this file>`, see infra/bundling/options.ts). The ledger's own code takes zod/mini (events/zod.ts);
 * only libraries come here: the @openid4vc ones and @sd-jwt/sd-jwt-vc, in the wallet's OpenID4VCI endpoint.
 *
 * Every named export is zod's classic one (zod-lean-external.ts, English only: zod's classic API keeps every
 * locale reachable, ~250 KB minified). The `z` object, though, is not the namespace of them all: a namespace
 * import keeps every export in the bundle (the JSON Schema converters, the compiler, every schema class), so `z`
 * holds what those libraries call on it, and esbuild drops the rest (~80 KB). test/infra/zod-lean.test.ts reads
 * the libraries the bundles load and fails if one calls a member `z` lacks. The schema classes are zod's own
 * files, so instances, `instanceof z.ZodError` and messages are exactly the package's. Node, tsx and vitest
 * never see this file.
 */
import { config } from '../../node_modules/zod/v4/core/index.js';
import en from '../../node_modules/zod/v4/locales/en.js';
import {
  any,
  array,
  base64url,
  boolean,
  config as zodConfig,
  discriminatedUnion,
  email,
  enum as zodEnum,
  intersection,
  iso,
  lazy,
  literal,
  looseObject,
  NEVER,
  never,
  null as zodNull,
  number,
  object,
  optional,
  prettifyError,
  record,
  string,
  tuple,
  union,
  unknown,
  url,
} from './zod-lean-external.js';

export * from './zod-lean-external.js';

const z = {
  any,
  array,
  base64url,
  boolean,
  config: zodConfig,
  discriminatedUnion,
  email,
  enum: zodEnum,
  intersection,
  iso,
  lazy,
  literal,
  looseObject,
  NEVER,
  never,
  null: zodNull,
  number,
  object,
  optional,
  prettifyError,
  record,
  string,
  tuple,
  union,
  unknown,
  url,
};
export { z, z as default };

// English, as zod's classic API sets it (lazily, on the first schema); explicit here.
config(en());
