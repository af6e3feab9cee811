/**
 * zod as every module a Lambda bundle loads takes it: `import * as z from '…/events/zod.js'`. It is zod/mini, zod 4's
 * tree-shakable API (functions rather than methods), so a bundle carries only the schemas and checks it uses; the
 * classic API sets all of its methods on every schema and costs about 178 KB minified in every bundle whatever it
 * uses (test/architecture.test.ts keeps classic `zod` out of the bundles).
 * Unlike the classic API, zod/mini loads no locale: without English its messages would all read "Invalid input", and
 * the problem+json `errors` carry them. Configured here, once, before any module can parse.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
// What classic and mini schemas share, for code that takes any schema (the routes' and steps' slots) or catches
// either API's parse errors (`instanceof $ZodError` holds for both).
export { $ZodError, type $ZodType } from 'zod/v4/core';
