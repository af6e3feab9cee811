// Lambda bundles only (esbuild --alias:pdfkit=./infra/bundling/pdfkit): pdfkit's browser build, which takes its
// standard fonts from registerStdFonts instead of loading them with a run-time require the bundle cannot follow.
export * from '../../../node_modules/pdfkit/js/pdfkit.browser.mjs';
export { default } from '../../../node_modules/pdfkit/js/pdfkit.browser.mjs';
