/**
 * node_modules/zod/v4/classic/external.js, export for export, but `core` and `locales` are the English-only
 * namespaces of zod-lean-core.ts and zod-lean-locales.ts. See zod-lean.ts.
 */
export * as core from './zod-lean-core.js';
export * from '../../node_modules/zod/v4/classic/schemas.js';
export * from '../../node_modules/zod/v4/classic/checks.js';
export * from '../../node_modules/zod/v4/classic/errors.js';
export * from '../../node_modules/zod/v4/classic/parse.js';
export * from '../../node_modules/zod/v4/classic/compat.js';
export type { infer } from '../../node_modules/zod/v4/core/index.js';
export type { JSONType } from '../../node_modules/zod/v4/core/util.js';
export type { CompileOptions } from '../../node_modules/zod/v4/core/index.js';
export {
  globalRegistry,
  type GlobalMeta,
  registry,
  config,
  memoizer,
  $output,
  $input,
  $brand,
  clone,
  regexes,
  treeifyError,
  prettifyError,
  formatError,
  flattenError,
  TimePrecision,
  util,
  NEVER,
  INVALID,
  toZod,
  compile,
  withParser,
  ZodCompileAsyncError,
  ZodCompileUnsupportedError,
  getDiscriminatedOption,
} from '../../node_modules/zod/v4/core/index.js';
export { toJSONSchema } from '../../node_modules/zod/v4/core/json-schema-processors.js';
export { fromJSONSchema } from '../../node_modules/zod/v4/classic/from-json-schema.js';
export { deepPartial } from '../../node_modules/zod/v4/classic/deep-partial.js';
export { input, output } from '../../node_modules/zod/v4/classic/in-out.js';
export * as locales from './zod-lean-locales.js';
export { ZodISODateTime, ZodISODate, ZodISOTime, ZodISODuration } from '../../node_modules/zod/v4/classic/iso.js';
export * as iso from '../../node_modules/zod/v4/classic/iso.js';
export type { ZodCoercedString, ZodCoercedNumber, ZodCoercedBigInt, ZodCoercedBoolean, ZodCoercedDate } from '../../node_modules/zod/v4/classic/coerce.js';
export * as coerce from '../../node_modules/zod/v4/classic/coerce.js';
