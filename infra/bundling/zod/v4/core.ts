// `zod/v4/core` in the Lambda bundles (the @openid4vc libraries import it): the alias of `zod` to the parent folder
// also maps this subpath here; the same lean core as the classic entry, English only.
export * from '../../zod-lean-core.js';
