import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as triggers from 'aws-cdk-lib/triggers';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTwin } from '../../functions/twin/twin.js';
import { projectRoot } from './synthesized.js';

/**
 * Deploy-time duties: a stack with a Trigger (synthesised by aws-cdk-lib) whose function must have run
 * before the API answers; one whose trigger fails never comes up, as its deployment would fail.
 */
const work = mkdtempSync(join(tmpdir(), 'twin-triggers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function synth(name: string, duty: string, invocationType = triggers.InvocationType.REQUEST_RESPONSE) {
  const assetDir = join(work, `${name}-asset`);
  mkdirSync(assetDir);
  const marker = join(work, `${name}.done`);
  writeFileSync(
    join(assetDir, 'index.mjs'),
    `import { appendFileSync, existsSync } from 'node:fs';
export const duty = async (event) => { ${duty}; appendFileSync(process.env.MARKER, JSON.stringify(event) + '\\n'); return {}; };
export const health = async () => ({ statusCode: existsSync(process.env.MARKER) ? 200 : 500, body: 'ok' });`,
  );
  const app = new App({ outdir: join(work, `${name}.out`), context: { 'aws:cdk:enable-asset-metadata': true } });
  const s = new Stack(app, name);
  const code = lambda.Code.fromAsset(assetDir);
  const environment = { MARKER: marker };
  const dutyFn = new lambda.Function(s, 'Duty', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.duty', code, environment });
  new triggers.Trigger(s, 'StartUp', { handler: dutyFn, invocationType });
  const healthFn = new lambda.Function(s, 'Health', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.health', code, environment });
  new apigw.HttpApi(s, 'Api').addRoutes({ path: '/health', methods: [apigw.HttpMethod.GET], integration: new HttpLambdaIntegration('H', healthFn) });
  app.synth();
  return { cdkOut: join(work, `${name}.out`), marker };
}

describe("the template's deploy-time Trigger", () => {
  it('runs once before the API answers', async () => {
    const { cdkOut, marker } = synth('Good', '');
    const twin = await startTwin({ root: projectRoot, cdkOut, dataDir: join(work, 'good-data'), port: 0 });
    try {
      expect(existsSync(marker)).toBe(true);
      expect(JSON.parse(readFileSync(marker, 'utf8').trim())).toMatchObject({ RequestType: 'Create' });
      expect((await fetch(`${twin.url}/health`)).status).toBe(200);
    } finally {
      await twin.stop();
    }
  }, 60_000);

  it('keeps the twin from coming up when it fails', async () => {
    const { cdkOut } = synth('Bad', "throw Object.assign(new Error('referential missing'), { name: 'DutyFailed' })");
    await expect(startTwin({ root: projectRoot, cdkOut, dataDir: join(work, 'bad-data'), port: 0 })).rejects.toThrow(/DutyFailed: referential missing/);
  }, 60_000);

  it('does not wait for an asynchronous (Event) trigger, nor fail with it', async () => {
    const { cdkOut } = synth('Async', "throw new Error('later')", triggers.InvocationType.EVENT);
    const twin = await startTwin({ root: projectRoot, cdkOut, dataDir: join(work, 'async-data'), port: 0 });
    await twin.stop();
  }, 60_000);
});
