/**
 * The only zod locale the Lambda bundles carry: English, which zod registers by default anyway.
 * Stands in for `zod/v4/locales` (about 50 locales, ~250 KB minified) in `z.locales` and `z.core.locales`.
 */
export { default as en } from '../../node_modules/zod/v4/locales/en.js';
