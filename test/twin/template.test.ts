import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createResolver, LOCAL_ACCOUNT, type Resolver } from '../../functions/twin/resolver.js';
import { referencedLogicalIds, type StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

let stack: StackModel;
let resolver: Resolver;

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
}, SYNTH_TIMEOUT);

const route = (key: string) => {
  const r = stack.httpRoutes.find((x) => x.routeKey === key);
  if (!r) throw new Error(`no route ${key} in the template`);
  return r;
};
const fn = (logicalId: string | undefined) => {
  const f = stack.functions.find((x) => x.logicalId === logicalId);
  if (!f) throw new Error(`no function ${logicalId}`);
  return f;
};
const statementsOf = (roleLogicalId: string) =>
  resolver.rolePolicies(roleLogicalId).flatMap((p) => (p.document as { Statement: { Action: string | string[]; Resource: string | string[]; Effect: string }[] }).Statement);
const grants = (roleLogicalId: string, action: string, resource: string) =>
  statementsOf(roleLogicalId).some((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action) && [s.Resource].flat().includes(resource));

describe('the stack read from cdk.out', () => {
  it('is the one stack of the manifest, in the region the app synthesises for', () => {
    expect(stack.stackName).toBe('CertificationLedger');
    expect(resolver.region).toBe(stack.region ?? 'eu-west-3');
    expect(resolver.account).toBe(LOCAL_ACCOUNT);
  });

  it('finds every Lambda function with its bundled asset folder holding the handler module', () => {
    const count = Object.values(stack.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length;
    expect(stack.functions).toHaveLength(count);
    for (const f of stack.functions.filter((x) => x.runtime.startsWith('nodejs'))) {
      expect(f.assetDir, f.logicalId).toBeDefined();
      const module = f.handler.slice(0, f.handler.lastIndexOf('.'));
      expect(readdirSync(f.assetDir!), `${f.logicalId} ${f.handler}`).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${module}\\.(mjs|cjs|js)$`))]));
      expect(f.roleLogicalId, f.logicalId).toBeDefined();
      expect(f.timeout).toBeGreaterThan(0);
    }
  });

  it("keeps a function's environment raw, every reference in it naming a resource of the template", () => {
    const health = fn(route('GET /health').functionLogicalId);
    expect(Object.keys(health.environment).length).toBeGreaterThan(0);
    for (const id of referencedLogicalIds(health.environment)) expect(stack.template.Resources, id).toHaveProperty(id);
  });

  it('resolves an environment to local names and ARNs (Ref of a table is its name, GetAtt Arn an IAM role ARN)', () => {
    for (const f of stack.functions.filter((x) => x.runtime.startsWith('nodejs'))) {
      const env = resolver.resolve(f.environment) as Record<string, unknown>;
      for (const [name, value] of Object.entries(env)) expect(typeof value, `${f.logicalId} ${name}`).toBe('string');
    }
    const table = stack.tables.find((t) => t.streamViewType)!;
    expect(resolver.ref(table.logicalId)).toMatch(/^[A-Za-z0-9_.-]{3,255}$/);
    expect(resolver.getAtt(table.logicalId, 'Arn')).toBe(`arn:aws:dynamodb:${resolver.region}:${LOCAL_ACCOUNT}:table/${resolver.ref(table.logicalId)}`);
  });

  it('maps each HTTP route to its integration and function; protected routes use the JWT authorizer', () => {
    const health = route('GET /health');
    expect(health).toMatchObject({ method: 'GET', path: '/health', authorizationType: 'NONE', integrationType: 'AWS_PROXY', payloadFormatVersion: '2.0' });
    expect(fn(health.functionLogicalId).assetDir).toBeDefined();
    const register = route('POST /candidates');
    expect(register.authorizationType).toBe('JWT');
    expect(stack.jwtAuthorizers.map((a) => a.logicalId)).toContain(register.authorizerLogicalId);
    for (const r of stack.httpRoutes) expect(r.functionLogicalId, r.routeKey).toBeDefined();
  });

  it("resolves the JWT authorizer to the user pool's issuer and its clients as audience", () => {
    const [authorizer] = stack.jwtAuthorizers;
    const [pool] = stack.userPools;
    expect(authorizer).toBeDefined();
    expect(resolver.resolveString(authorizer!.issuer)).toBe(`https://cognito-idp.${resolver.region}.amazonaws.com/${resolver.ref(pool!.logicalId)}`);
    expect(resolver.resolve(authorizer!.audience)).toEqual(expect.arrayContaining(pool!.clients.map((c) => resolver.ref(c.logicalId))));
    expect(authorizer!.identitySource).toEqual(['$request.header.Authorization']);
  });

  it('reads the user pool with its groups, clients and attributes', () => {
    const [pool] = stack.userPools;
    expect(pool!.groups.map((g) => g.groupName).sort()).toEqual(['candidate', 'centre', 'dreets', 'juror', 'ministry']);
    expect(pool!.clients.length).toBeGreaterThan(0);
    expect(pool!.schema.map((a) => a.name)).toContain('email');
    expect(resolver.ref(pool!.logicalId)).toMatch(new RegExp(`^${resolver.region}_[A-Za-z0-9]+$`));
  });

  it("gives a route function's role the grants its policies hold, resolved to concrete ARNs", () => {
    const register = fn(route('POST /candidates').functionLogicalId);
    const events = stack.tables.find((t) => t.streamViewType)!;
    expect(grants(register.roleLogicalId!, 'dynamodb:PutItem', resolver.getAtt(events.logicalId, 'Arn'))).toBe(true);
    const health = fn(route('GET /health').functionLogicalId);
    expect(
      statementsOf(health.roleLogicalId!)
        .flatMap((s) => [s.Action].flat())
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
  });

  it('reads the stream event source mappings with their batching, retry and failure settings', () => {
    expect(stack.eventSourceMappings.length).toBeGreaterThan(0);
    for (const m of stack.eventSourceMappings) {
      const table = stack.tables.find((t) => t.logicalId === m.sourceLogicalId);
      expect(table?.streamViewType, m.logicalId).toBe('NEW_IMAGE');
      expect(resolver.resolveString(m.eventSourceArn)).toBe(resolver.getAtt(table!.logicalId, 'StreamArn'));
      expect(m).toMatchObject({ batchSize: 100, bisectBatchOnFunctionError: true, functionResponseTypes: ['ReportBatchItemFailures'] });
      expect(m.maximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(resolver.resolveString(m.onFailureDestination)).toMatch(/^arn:aws:sqs:/);
      expect(fn(m.functionLogicalId).assetDir).toBeDefined();
    }
  });

  it("resolves each state machine's definition to ASL whose Lambda tasks are functions of the stack", () => {
    expect(stack.stateMachines.length).toBeGreaterThan(0);
    const functionArns = new Set(stack.functions.map((f) => resolver.getAtt(f.logicalId, 'Arn')));
    for (const machine of stack.stateMachines) {
      const asl = resolver.stateMachineDefinition(machine);
      expect(asl).toHaveProperty('StartAt');
      const tasks = JSON.stringify(asl).match(/"Resource":"[^"]+"/g) ?? [];
      expect(tasks.length, machine.logicalId).toBeGreaterThan(0);
      for (const t of tasks) expect(functionArns.has(t.slice('"Resource":"'.length, -1)), t).toBe(true);
      expect(machine.roleLogicalId).toBeDefined();
      expect(resolver.ref(machine.logicalId)).toMatch(/^arn:aws:states:[^:]+:000000000000:stateMachine:/);
    }
  });

  it('reads tables, buckets and keys: a signing key (ECC_NIST_P256) and a symmetric key', () => {
    for (const t of stack.tables) expect(t.keySchema.map((k) => k.KeyType)).toContain('HASH');
    expect(stack.kmsKeys.map((k) => k.keySpec)).toEqual(expect.arrayContaining(['ECC_NIST_P256', 'SYMMETRIC_DEFAULT']));
    for (const b of stack.buckets) expect(resolver.ref(b.logicalId)).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
    expect(resolver.getAtt(stack.kmsKeys[0]!.logicalId, 'Arn')).toMatch(/^arn:aws:kms:[^:]+:000000000000:key\/[0-9a-f-]{36}$/);
  });

  it("finds the alarms' nested stack with its template in cdk.out, and nothing the twin runs reads from it", () => {
    expect(stack.nestedStacks).toHaveLength(1);
    const [monitoring] = stack.nestedStacks;
    const types = new Set(Object.values(monitoring!.template!.Resources).map((r) => r.Type));
    expect([...types].sort()).toEqual(['AWS::CloudWatch::Alarm', 'AWS::KMS::Key', 'AWS::Logs::MetricFilter', 'AWS::SNS::Topic', 'AWS::SNS::TopicPolicy']);
    // Alarms are not run locally: a function, role or state machine reading the nested stack's outputs would be.
    const readers = Object.entries(stack.template.Resources).filter(
      ([id, r]) => id !== monitoring!.logicalId && referencedLogicalIds(r.Properties).includes(monitoring!.logicalId),
    );
    expect(readers.map(([id]) => id)).toEqual([]);
  });

  it('lists every addressable resource with a unique physical name', () => {
    const ids = resolver.physicalIds();
    const functionNames = stack.functions.map((f) => ids[f.logicalId]!.ref);
    expect(new Set(functionNames).size).toBe(functionNames.length);
    for (const n of functionNames) expect(n.length).toBeLessThanOrEqual(64);
    expect(existsSync(join(stack.cdkOut, 'manifest.json'))).toBe(true);
  });
});
