import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_REQUIRE_BANNER, MAX_BUNDLE_BYTES, TARGET_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { S3DocumentStore } from '../../functions/adapters/s3-document-store.js';
import { verificationUrl } from '../../functions/certificates/certificate-urls.js';
import { startS3rver } from '../support/s3rver.js';
import { bundleAsTheStackDoes, type StackBundle } from '../support/stack-bundle.js';
import { SYNTH_TIMEOUT } from './support.js';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

// The PDF Lambda bundles pdfkit's browser build with the standard fonts registered and no fontkit, no png-js, in a
// chunk beside index.mjs loaded on the first PDF (infra/bundling/lazy-chunks.ts): this builds it as the stack does,
// runs it against s3rver, reads the PDF it stored back with pdftotext, and scans its QR code (vector squares) from
// the page rasterised by pdftoppm.
const MODULE = 'workflows/render-certificate-pdfs';
const PDF = {
  publicBaseUrl: 'https://ledger.example',
  code: '7KQ2-M9XD-4HTB-P3WX6',
  kind: 'titre',
  certification: { rncp: 'RNCP38665', title: "Manager d'équipe relation client à distance", level: 5, certifier: 'Ministère du Travail' },
  blocs: [{ code: 'RNCP38665BC01', title: 'Piloter la performance' }],
  issuedOn: '2025-10-06',
  issuance: { stream: 'certificate#7KQ2-M9XD-4HTB-P3WX6', version: 1, hash: 'a'.repeat(64) },
};
let bundle: StackBundle;
let s3: Awaited<ReturnType<typeof startS3rver>>;
const saved = { ...process.env };

beforeAll(async () => {
  bundle = bundleAsTheStackDoes(MODULE);
  s3 = await startS3rver(['pdf-bucket']);
  const endpoint = await s3.client.config.endpoint!();
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-3',
    AWS_ENDPOINT_URL_S3: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    DOCUMENTS_BUCKET: 'pdf-bucket',
  });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  process.env = saved;
  await s3?.stop();
  bundle?.remove();
});

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('the PDF Lambda bundle', () => {
  it(`loads at INIT an index.mjs of at most ${TARGET_BUNDLE_BYTES / 1024} KB without pdfkit or qrcode: they are the chunk beside it, imported on the first PDF`, () => {
    const index = bundle.source();
    const chunk = readFileSync(bundle.chunks[0]!, 'utf8');
    console.info(`render-certificate-pdfs: index.mjs ${kb(Buffer.byteLength(index))}, lazy ${basename(bundle.chunks[0]!)} ${kb(Buffer.byteLength(chunk))} minified`);
    expect(Buffer.byteLength(index)).toBeLessThanOrEqual(TARGET_BUNDLE_BYTES);
    expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    // The chunk by its name, as the code imports it, and nothing of pdfkit (its PDF header) nor of qrcode in index.mjs.
    expect(index.includes('import("./certificate-pdf.js")')).toBe(true);
    expect(index.includes('%PDF-')).toBe(false);
    expect(index.includes('Helvetica-Bold')).toBe(false);
    expect(chunk.includes('%PDF-')).toBe(true);
    // Nothing else is loaded at INIT: index.mjs imports no file of its own statically.
    expect(/from\s*"\.\//.test(index)).toBe(false);
  });

  it('ships the chunk as ESM, without fontkit, AES, a JavaScript zlib or a PNG codec', () => {
    expect(JSON.parse(readFileSync(join(bundle.assetDir, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    const source = readFileSync(bundle.chunks[0]!, 'utf8');
    expect(source.startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
    expect(source.includes('brotli')).toBe(false);
    // The stubs of infra/bundling/ in place of @noble/ciphers' AES and fflate: pdfkit compresses through node:zlib.
    expect(source.includes('PDF encryption is not bundled')).toBe(true);
    expect(source.includes('invalid zlib data')).toBe(false); // one of fflate's own messages
    // png-js stubbed, and qrcode's encoder without its PNG renderer (pngjs).
    expect(source.includes('PNG images are not bundled')).toBe(true);
    expect(source.includes('Invalid file signature')).toBe(false); // one of pngjs's own messages
  });

  it('renders and stores a readable certificate', async () => {
    const { handler } = await bundle.load<{ handler: (e: unknown) => Promise<{ pdfs: { code: string; key: string; sha256: string }[] }> }>();
    const pdf = PDF;
    const { pdfs } = await handler({ certificates: { pending: [{ input: {}, pdf }] } });
    expect(pdfs[0]).toMatchObject({ code: pdf.code, key: `certificates/${pdf.code}.pdf`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const stored = await new S3DocumentStore(s3.client, 'pdf-bucket').get(pdfs[0]!.key);
    const path = join(bundle.assetDir, 'out.pdf');
    writeFileSync(path, stored!.body);
    const text = execFileSync('pdftotext', [path, '-']).toString();
    expect(text).toContain("Manager d'équipe relation client à distance");
    expect(text).toContain('7KQ2-M9XD-4HTB-P3WX6');
    execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', path, join(bundle.assetDir, 'page')]);
    const page = PNG.sync.read(readFileSync(join(bundle.assetDir, 'page.png')));
    expect(jsQR(new Uint8ClampedArray(page.data), page.width, page.height)?.data).toBe(verificationUrl(pdf.publicBaseUrl, pdf.code));
  });

  it('starts without its chunk, but renders nothing: the renderer is in the chunk alone', async () => {
    // A copy of the asset without certificate-pdf.js: its INIT succeeds, its first PDF cannot.
    const copy = join(bundle.assetDir, 'without-chunk');
    mkdirSync(copy);
    for (const file of ['index.mjs', 'package.json']) copyFileSync(join(bundle.assetDir, file), join(copy, file));
    const { handler } = (await import(pathToFileURL(join(copy, 'index.mjs')).href)) as { handler: (e: unknown) => Promise<unknown> };
    await expect(handler({ certificates: { pending: [{ input: {}, pdf: PDF }] } })).rejects.toThrow(/certificate-pdf\.js/);
  });
});
