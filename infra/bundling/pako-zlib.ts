// Lambda bundles only (esbuild --alias:pako): the status lists' bitstring (@digitalbazaar/bitstring) gzips with
// pako, a 46 KB JavaScript port of zlib; the Lambda runtime has zlib itself, in node:zlib. The same gzip format.
import { gunzipSync, gzipSync } from 'node:zlib';

export const gzip = (data: Uint8Array): Uint8Array => gzipSync(data);
export const ungzip = (data: Uint8Array): Uint8Array => gunzipSync(data);
