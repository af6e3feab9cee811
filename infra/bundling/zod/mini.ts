// `zod/mini` in the Lambda bundles: the alias of `zod` to this folder also maps its subpaths here.
import * as z from '../../../node_modules/zod/v4/mini/external.js';
export * from '../../../node_modules/zod/v4/mini/external.js';
export { z };
