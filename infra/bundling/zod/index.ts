// `zod` in the Lambda bundles (esbuild --alias:zod=<this folder>): the lean classic entry, English only.
export * from '../zod-lean.js';
export { default } from '../zod-lean.js';
