import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as triggers from 'aws-cdk-lib/triggers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver } from '../../functions/twin/resolver.js';
import { readStack, type StackModel } from '../../functions/twin/template.js';

/**
 * Shapes the ledger's stack does not use today but a stack may: a deploy-time Trigger, a customer managed
 * policy, inline role policies, a function reached through its version. Synthesised by aws-cdk-lib itself.
 */
const work = mkdtempSync(join(tmpdir(), 'twin-shapes-'));
let stack: StackModel;

beforeAll(() => {
  const app = new App({ outdir: join(work, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const s = new Stack(app, 'Shapes', { env: { region: 'eu-west-1' } });
  const table = new dynamodb.Table(s, 'Things', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const assetDir = mkdtempSync(join(work, 'asset-'));
  writeFileSync(join(assetDir, 'main.mjs'), 'export const run = async () => ({ ok: true });');
  const role = new iam.Role(s, 'StartRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    inlinePolicies: { inline: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] }) },
  });
  new iam.ManagedPolicy(s, 'Managed', { roles: [role], statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })] });
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'));
  const start = new lambda.Function(s, 'Start', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'main.run',
    code: lambda.Code.fromAsset(assetDir),
    timeout: Duration.seconds(42),
    role,
    environment: { THINGS: table.tableName },
  });
  table.grantReadWriteData(start);
  new triggers.Trigger(s, 'StartUp', { handler: start, timeout: Duration.minutes(2), executeAfter: [table] });
  const api = new apigw.HttpApi(s, 'Api');
  api.addRoutes({ path: '/things/{id}', methods: [apigw.HttpMethod.GET], integration: new HttpLambdaIntegration('Get', start.currentVersion) });
  app.synth();
  stack = readStack(join(work, 'cdk.out'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('template shapes beyond the ledger stack', () => {
  it('finds a deploy-time Trigger and the function it invokes, with its timeout', () => {
    expect(stack.triggers).toHaveLength(1);
    const [trigger] = stack.triggers;
    const fn = stack.functions.find((f) => f.logicalId === trigger!.functionLogicalId);
    expect(fn).toMatchObject({ handler: 'main.run', timeout: 42, runtime: 'nodejs22.x' });
    expect(trigger!.invocationType).toBe('RequestResponse');
    expect(trigger!.timeout).toBe(120_000);
  });

  it("collects a role's inline, attached and customer managed policies, and keeps AWS managed ARNs apart", () => {
    const fn = stack.functions.find((f) => f.handler === 'main.run')!;
    const r = createResolver(stack);
    const role = stack.roles.find((x) => x.roleLogicalId === fn.roleLogicalId)!;
    const actions = r.rolePolicies(role.roleLogicalId).flatMap((p) => (p.document as { Statement: { Action: string | string[] }[] }).Statement.flatMap((st) => [st.Action].flat()));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 'sqs:SendMessage', 'dynamodb:PutItem']));
    expect(r.resolve(role.managedPolicyArns)).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
  });

  it('resolves a route integrated with a function version to the function, and the region of the stack', () => {
    const route = stack.httpRoutes.find((x) => x.routeKey === 'GET /things/{id}')!;
    expect(stack.functions.find((f) => f.logicalId === route.functionLogicalId)?.handler).toBe('main.run');
    expect(createResolver(stack).region).toBe('eu-west-1');
  });
});
