import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { LedgerFunction } from '../../infra/constructs/ledger-functions.js';
import { projectRoot } from '../../infra/paths.js';
import { S3DocumentStore } from '../../functions/adapters/s3-document-store.js';
import { startS3rver } from '../support/s3rver.js';
import { SYNTH_TIMEOUT } from './support.js';

// The PDF Lambda bundles pdfkit's browser build with the standard fonts registered and no fontkit: this builds it
// as the stack does, runs it against s3rver, and reads the PDF it stored back with pdftotext.
const MODULE = 'workflows/render-certificate-pdfs';
let outdir: string;
let file: string;
let s3: Awaited<ReturnType<typeof startS3rver>>;
const saved = { ...process.env };

beforeAll(async () => {
  const cache = join(projectRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  outdir = mkdtempSync(join(cache, 'ledger-pdf-bundle-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const fn = new LedgerFunction(new Stack(app, 'Pdf'), 'Fn', { module: MODULE, environment: {}, logRetention: logs.RetentionDays.ONE_DAY });
  app.synth();
  file = join(outdir, (fn.handler.node.defaultChild as CfnFunction).getMetadata('aws:asset:path') as string, 'index.mjs');
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
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the PDF Lambda bundle', () => {
  it('stays under the size limit without fontkit, AES or a JavaScript zlib', () => {
    const bundle = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(bundle)).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
    expect(bundle.includes('brotli')).toBe(false);
    // The stubs of infra/bundling/ in place of @noble/ciphers' AES and fflate: pdfkit compresses through node:zlib.
    expect(bundle.includes('PDF encryption is not bundled')).toBe(true);
    expect(bundle.includes('invalid zlib data')).toBe(false); // one of fflate's own messages
  });

  it('renders and stores a readable certificate', async () => {
    const { handler } = (await import(pathToFileURL(file).href)) as { handler: (e: unknown) => Promise<{ pdfs: { code: string; key: string; sha256: string }[] }> };
    const pdf = {
      publicBaseUrl: 'https://ledger.example',
      code: '7KQ2-M9XD-4HTB-P3WX6',
      kind: 'titre',
      certification: { rncp: 'RNCP38665', title: "Manager d'équipe relation client à distance", level: 5, certifier: 'Ministère du Travail' },
      blocs: [{ code: 'RNCP38665BC01', title: 'Piloter la performance' }],
      issuedOn: '2025-10-06',
      issuance: { stream: 'certificate#7KQ2-M9XD-4HTB-P3WX6', version: 1, hash: 'a'.repeat(64) },
    };
    const { pdfs } = await handler({ certificates: { pending: [{ input: {}, pdf }] } });
    expect(pdfs[0]).toMatchObject({ code: pdf.code, key: `certificates/${pdf.code}.pdf`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const stored = await new S3DocumentStore(s3.client, 'pdf-bucket').get(pdfs[0]!.key);
    const path = join(outdir, 'out.pdf');
    writeFileSync(path, stored!.body);
    const text = execFileSync('pdftotext', [path, '-']).toString();
    expect(text).toContain("Manager d'équipe relation client à distance");
    expect(text).toContain('7KQ2-M9XD-4HTB-P3WX6');
  });
});
