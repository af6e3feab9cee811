import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { buildLambdaBundles } from '../bench/lambda-bundles.js';

// Issue 15: every bundle at most TARGET_BUNDLE_BYTES minified: its index.mjs, what Lambda loads at INIT (the
// OpenID4VCI libraries and pdfkit are chunks beside it, loaded on first use: test/infra/lazy-chunks.test.ts). Every
// function of the stack is built once, as `cdk synth` builds it (`npm run bench -- bundles` prints the same list),
// then each is measured.
/** The whole app synthesised with bundling on: about two minutes on 2 idle cores. */
const BUILD_TIMEOUT = 600_000;

let outdir: string;
let bundles: { module: string; bytes: number; text: string }[];

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'ledger-bundle-sizes-'));
  bundles = buildLambdaBundles(outdir).map(({ module, file }) => ({ module, bytes: statSync(file).size, text: readFileSync(file, 'utf8') }));
}, BUILD_TIMEOUT);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const bundleOf = (module: string) => bundles.find((b) => b.module === module)!;

describe('the Lambda bundles, as the stack builds them', () => {
  it(`are each at most ${TARGET_BUNDLE_BYTES / 1024} KB minified, the OpenID4VCI endpoint and the two PDF renderers included`, () => {
    // Names and sizes rather than booleans: a failure says which bundle grew, and by how much.
    const over = bundles.filter((b) => b.bytes > TARGET_BUNDLE_BYTES).map((b) => `${b.module}: ${kb(b.bytes)}`);
    expect(over).toEqual([]);
    expect(bundles.length).toBeGreaterThan(70);
    for (const module of ['wallet/oid4vci-endpoint', 'certificates/get-named-certificate-pdf', 'workflows/render-certificate-pdfs']) expect(bundleOf(module)).toBeDefined();
  });

  it('a route carries its own entry of the route manifest, not the manifest, and no projector', () => {
    const revoke = bundleOf('certificates/revoke-certificate').text;
    expect(revoke.includes('/certificates/{code}/revocation')).toBe(true);
    expect(revoke.includes('/certificates/{code}/suspension')).toBe(false);
    expect(revoke.includes('/_local/tokens')).toBe(false);
    // The projector's words when a commit is missing (ProjectionGapError): in the Streams consumer's bundle alone.
    const projectorWords = 'the next commit read starts at';
    expect(revoke.includes(projectorWords)).toBe(false);
    expect(bundleOf('workflows/load-pv-outcomes').text.includes(projectorWords)).toBe(false);
    expect(bundleOf('projections/project-change-feed').text.includes(projectorWords)).toBe(true);
  });

  it('the Streams consumers and the start-up Trigger carry their own part of the wiring alone', () => {
    // A read model's name (the statistics' follower, the jurors' sessions) or a reaction's is a string its bundle keeps.
    const carries = (module: string) => {
      const text = bundleOf(module).text;
      return ['"statistics-rollups"', '"session-jurors"', '"email-notifications"', '"annulment-compensation"'].filter((name) => text.includes(name));
    };
    expect(carries('projections/project-change-feed')).toEqual(['"statistics-rollups"', '"session-jurors"']);
    expect(carries('reactions/react-to-change-feed')).toEqual(['"email-notifications"', '"annulment-compensation"']);
    expect(carries('start-up/run-start-up-duties')).toEqual([]);
  });
});
