import { beforeAll, describe, expect, it } from 'vitest';
import { accessOf } from '../../infra/function-access.js';
import { authorise, callersOf, resourcePoliciesOf, type Caller, type ResourcePolicies } from '../../functions/twin/authorise.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';
import { CATALOGUE_PARTITION } from '../../functions/projections/certification-catalogue.js';

let stack: StackModel;
let resolver: Resolver;
let callers: Map<string, Caller>;
let resourcePolicies: ResourcePolicies;

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  callers = callersOf(stack, resolver);
  resourcePolicies = resourcePoliciesOf(stack, resolver);
}, SYNTH_TIMEOUT);

/** The caller behind an HTTP route of the template. */
const callerOfRoute = (routeKey: string) => {
  const route = stack.httpRoutes.find((r) => r.routeKey === routeKey);
  const caller = route?.functionLogicalId && callers.get(route.functionLogicalId);
  if (!caller) throw new Error(`no function behind ${routeKey}`);
  return caller;
};
/** A resource by the construct path CDK records (`Tables/Events`), so the test names what infra/ names. */
const byPath = (path: string) => {
  const entry = Object.entries(stack.template.Resources).find(([, r]) => r.Metadata?.['aws:cdk:path'] === `${stack.stackName}/${path}/Resource`);
  if (!entry) throw new Error(`no resource at ${path}`);
  return entry[0];
};
const tableArn = (name: string) => resolver.getAtt(byPath(`Tables/${name}`), 'Arn');
const keyArn = (name: string) => resolver.getAtt(byPath(`Keys/${name}`), 'Arn');
const decide = (caller: Caller, action: string, resource: string) => authorise(caller, { action, resource }, resourcePolicies(resource));

describe("a function's AWS calls, decided against its role from the template", () => {
  it('lets a catalogue read route read the read models and nothing else (function-access: readModels read)', async () => {
    expect(accessOf('certifications/list-certifications', 'GET')).toEqual({ readModels: 'read', keys: { readModels: [CATALOGUE_PARTITION] } });
    const caller = callerOfRoute('GET /certifications');
    expect(await decide(caller, 'dynamodb:Query', tableArn('ReadModels'))).toEqual({ allowed: true, result: 'Allowed' });
    expect(await decide(caller, 'dynamodb:GetItem', tableArn('ReadModels'))).toMatchObject({ allowed: true });
    expect(await decide(caller, 'dynamodb:PutItem', tableArn('ReadModels'))).toMatchObject({ allowed: false, result: 'ImplicitlyDenied' });
    expect(await decide(caller, 'dynamodb:GetItem', tableArn('Events'))).toMatchObject({ allowed: false });
  });

  it('lets candidate registration append and use the vault key, never update or delete a commit', async () => {
    expect(accessOf('candidates/register-candidate', 'POST')).toMatchObject({ events: 'append', vault: 'write' });
    const caller = callerOfRoute('POST /candidates');
    expect(await decide(caller, 'dynamodb:PutItem', tableArn('Events'))).toMatchObject({ allowed: true });
    expect(await decide(caller, 'dynamodb:PutItem', tableArn('PersonVault'))).toMatchObject({ allowed: true });
    expect(await decide(caller, 'kms:GenerateDataKey', keyArn('Vault'))).toMatchObject({ allowed: true });
    for (const action of ['dynamodb:DeleteItem', 'dynamodb:UpdateItem']) expect(await decide(caller, action, tableArn('Events')), action).toMatchObject({ allowed: false });
    expect(await decide(caller, 'dynamodb:Scan', tableArn('PersonVault'))).toMatchObject({ allowed: false });
    expect(await decide(caller, 'kms:Sign', keyArn('Signing'))).toMatchObject({ allowed: false });
  });

  it("denies the verification log's functions the access logs in the same table (an explicit deny on access#* keys), not their own keys", async () => {
    const keyed = (caller: Caller, action: string, keys: string[]) => authorise(caller, { action, resource: tableArn('Verifications'), context: { 'dynamodb:LeadingKeys': keys } });
    const verify = callerOfRoute('GET /verify/{code}');
    expect(await keyed(verify, 'dynamodb:Query', ['ABCD2345'])).toMatchObject({ allowed: true });
    expect(await keyed(verify, 'dynamodb:UpdateItem', ['ABCD2345'])).toMatchObject({ allowed: true });
    expect(await keyed(verify, 'dynamodb:Query', ['access#someone'])).toMatchObject({ allowed: false, result: 'ExplicitlyDenied' });
    expect(await keyed(verify, 'dynamodb:BatchWriteItem', ['ABCD2345', 'access#someone'])).toMatchObject({ allowed: false, result: 'ExplicitlyDenied' });
    // The holder's named PDF writes the person's access log: allowed there.
    expect(await keyed(callerOfRoute('GET /candidates/{candidateId}/certificates/{code}/pdf'), 'dynamodb:BatchWriteItem', ['access#someone'])).toMatchObject({ allowed: true });
  });

  it("names the function's role session, the action and the resource in a denial, as AWS does", async () => {
    const caller = callerOfRoute('GET /health');
    const decision = await decide(caller, 'dynamodb:Scan', tableArn('Events'));
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/${caller.roleName}/${caller.functionName} is not authorized to perform: dynamodb:Scan on resource: ${tableArn('Events')} because no identity-based policy allows the dynamodb:Scan action`,
    );
  });

  it('applies a bucket policy: its deny of insecure transport does not bite a TLS call, an explicit deny would', async () => {
    expect(accessOf('statistics/export-statistics', 'POST')).toMatchObject({ exports: 'write' });
    const exportCaller = callerOfRoute('POST /statistics/exports');
    const object = `arn:aws:s3:::${resolver.ref(byPath('Buckets/Exports'))}/some/key`;
    expect(resourcePolicies(object)).toBeDefined();
    expect(await authorise(exportCaller, { action: 's3:PutObject', resource: object, context: { 's3:TlsVersion': '1.3' } }, resourcePolicies(object))).toMatchObject({
      allowed: true,
    });
    const insecure = await authorise(exportCaller, { action: 's3:PutObject', resource: object, context: { 'aws:SecureTransport': 'false' } }, resourcePolicies(object));
    expect(insecure).toMatchObject({ allowed: false, result: 'ExplicitlyDenied' });
    expect(!insecure.allowed && insecure.message).toMatch(/with an explicit deny in a resource-based policy$/);
  });

  it('refuses an action IAM does not know, rather than letting it through', async () => {
    const caller = callerOfRoute('POST /candidates');
    expect(await decide(caller, 'dynamodb:Frobnicate', tableArn('Events'))).toMatchObject({ allowed: false, result: 'Invalid' });
  });

  it('requires the key policy for KMS: the role alone is not enough', async () => {
    const caller = callerOfRoute('POST /candidates');
    expect(await authorise(caller, { action: 'kms:GenerateDataKey', resource: keyArn('Vault') })).toMatchObject({ allowed: false });
  });
});
