import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CREATE_REQUIRE_BANNER, MAX_BUNDLE_BYTES } from '../../infra/bundling/options.js';
import { LedgerFunction } from '../../infra/constructs/ledger-functions.js';
import { projectRoot } from '../../infra/paths.js';
import { sampleAwsEnvironment, SYNTH_TIMEOUT } from './support.js';

// One real bundle, built by NodejsFunction exactly as in the stack, then run: zod aliased to its lean entry
// must still validate, with zod's own English messages. The output sits under node_modules so that the
// bundle finds the AWS SDK there, as it does in the Lambda runtime.
const MODULE = 'candidates/register-candidate';
let outdir: string;
let bundle: string;
let handler: (event: unknown) => Promise<{ statusCode: number; body: string }>;
const saved = { ...process.env };

beforeAll(async () => {
  const cache = join(projectRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  outdir = mkdtempSync(join(cache, 'ledger-bundle-test-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Bundle');
  const fn = new LedgerFunction(stack, 'Fn', { module: MODULE, environment: {}, logRetention: logs.RetentionDays.ONE_DAY });
  app.synth();
  const file = join(outdir, (fn.handler.node.defaultChild as CfnFunction).getMetadata('aws:asset:path') as string, 'index.mjs');
  bundle = readFileSync(file, 'utf8');
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-3',
    ...sampleAwsEnvironment(),
  });
  ({ handler } = (await import(pathToFileURL(file).href)) as { handler: typeof handler });
}, SYNTH_TIMEOUT);

afterAll(() => {
  process.env = saved;
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('are minified ESM with the createRequire banner, the AWS SDK left out, under the size limit', () => {
    expect(bundle.startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
    // Booleans, not the bundle itself, in the assertions: a failure must not print 240 KB.
    expect(/from"@aws-sdk\/client-dynamodb"/.test(bundle)).toBe(true);
    expect(bundle.includes('function parseBody(')).toBe(false); // minified: local names are mangled
    expect(Buffer.byteLength(bundle)).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it('load only the DynamoDB client at module load; the other SDK packages on first use', () => {
    // A static import is hoisted to the bundle's top and loaded at cold start; a dynamic one waits for a request.
    expect(/from"@aws-sdk\/client-(kms|s3|sfn|sesv2|scheduler|cognito-identity-provider)"/.test(bundle)).toBe(false);
    expect(bundle.includes('import("@aws-sdk/client-kms")')).toBe(true); // the person vault's keys
  });

  it('carry zod with English only', () => {
    expect(bundle.includes('Invalid input: expected ')).toBe(true);
    expect(bundle.includes('Entrée invalide')).toBe(false); // fr
    expect(bundle.includes('Ungültige Eingabe')).toBe(false); // de
  });

  it('still validate, with the messages of the zod package', async () => {
    const response = await handler({
      version: '2.0',
      rawPath: '/candidates',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ givenNames: 'Ada', birthDate: '1990-02-30x', email: 'not-an-email' }),
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', sourceIp: '192.0.2.1' },
        requestId: 'r-1',
        authorizer: { jwt: { claims: { sub: 'b3c1f6de-0000-4000-a000-000000000001', 'custom:ledger_id': 'centre-1', 'cognito:groups': '[centre]' }, scopes: null } },
      },
    });
    expect(response.statusCode).toBe(400);
    const problem = JSON.parse(response.body) as { errors: { path: string; message: string }[] };
    const message = (path: string) => problem.errors.find((e) => e.path === path)?.message;
    expect(message('body.familyName')).toBe(z.string().safeParse(undefined).error!.issues[0]!.message);
    expect(message('body.familyName')).toBe('Invalid input: expected string, received undefined');
    expect(message('body.email')).toBe(z.email().safeParse('not-an-email').error!.issues[0]!.message);
  });
});
