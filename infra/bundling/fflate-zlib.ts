// Lambda bundles only (esbuild --alias:fflate): pdfkit compresses its streams with fflate's zlibSync, a JavaScript
// port of zlib (~7 KB minified); the Lambda runtime has zlib itself, in node:zlib. The same zlib format.
import { deflateSync } from 'node:zlib';

export const zlibSync = (data: Uint8Array, options?: { level?: number }): Uint8Array =>
  new Uint8Array(deflateSync(data, options?.level === undefined ? {} : { level: options.level }));
