// `zod/locales` in the Lambda bundles (events/zod.ts takes English from it): English only, as zod-lean-locales.ts.
export * from '../zod-lean-locales.js';
