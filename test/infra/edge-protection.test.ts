import { beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { webAcl } from '../../infra/ledger-app.js';
import {
  BODY_SIZE_RULE,
  bodyPathPrefixes,
  MANAGED_RULE_GROUPS,
  RATE_LIMIT_PER_5_MINUTES,
  VERIFY_RATE_LIMIT_PER_5_MINUTES,
  WAF_BODY_LIMIT,
  type LedgerEdgeStack,
} from '../../infra/stacks/edge-stack.js';
import { AssessmentBody, DeliberationBody } from '../../functions/sessions/session-schemas.js';
import { routes } from '../../functions/routes.js';
import { ORIGIN_SECRET_ROTATION, ROTATION_MODULE } from '../../infra/constructs/ledger-origin-secret.js';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { ORIGIN_SECRET_HEADER } from '../../functions/shared/viewer-address.js';
import { functionAccess } from '../../infra/function-access.js';
import { actionsOf, type CfnResourceJson, logicalIdOf, statementsOfRole, SYNTH_TIMEOUT, synthesize } from './support.js';

const WEB_ACL = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/certification-ledger/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';

let stack: LedgerStack;
let edge: LedgerEdgeStack;
let resources: Record<string, CfnResourceJson>;

beforeAll(() => {
  const synthesized = synthesize({ context: { 'ledger:webAclArn': WEB_ACL } });
  ({ stack, resources } = synthesized);
  edge = (synthesized.app.node.findChild('CertificationLedgerEdge') as LedgerEdgeStack) ?? null;
}, SYNTH_TIMEOUT);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the WAF web ACL (issue 18)', () => {
  it('lives in its own us-east-1 stack, scope CLOUDFRONT, with rate limits per address and the AWS managed rule groups', () => {
    expect(edge.region).toBe('us-east-1');
    const acls = Object.values(Template.fromStack(edge).toJSON().Resources as Record<string, CfnResourceJson>).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const acl = acls[0]!.Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    const rules = acl.Rules as { Name: string; Priority: number; Action?: unknown; OverrideAction?: unknown; Statement: any }[];
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    const rate = rules.filter((r) => r.Statement.RateBasedStatement);
    expect(rate.map((r) => [r.Statement.RateBasedStatement.Limit, r.Statement.RateBasedStatement.AggregateKeyType, r.Action])).toEqual([
      [VERIFY_RATE_LIMIT_PER_5_MINUTES, 'IP', { Block: {} }],
      [RATE_LIMIT_PER_5_MINUTES, 'IP', { Block: {} }],
    ]);
    expect(rate[0]!.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement).toMatchObject({ SearchString: '/verify', PositionalConstraint: 'STARTS_WITH' });
    const managed = rules.filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(managed.map((r) => r.Statement.ManagedRuleGroupStatement)).toMatchObject(MANAGED_RULE_GROUPS.map((Name) => ({ VendorName: 'AWS', Name })));
    for (const r of managed) expect(r.OverrideAction).toEqual({ None: {} });
  });

  it("counts, rather than blocks, the Common rule set's bodies over 8 KB, which a certifier's valid request can be; blocks them off the API's body paths", () => {
    const rules = (Object.values(Template.fromStack(edge).toJSON().Resources as Record<string, CfnResourceJson>).find((r) => r.Type === 'AWS::WAFv2::WebACL')!.Properties.Rules ??
      []) as { Name: string; Priority: number; Action?: unknown; Statement: any }[];
    const overrides = rules
      .filter((r) => r.Statement.ManagedRuleGroupStatement)
      .map((r) => [r.Statement.ManagedRuleGroupStatement.Name, r.Statement.ManagedRuleGroupStatement.RuleActionOverrides]);
    expect(overrides).toEqual([
      ['AWSManagedRulesCommonRuleSet', [{ Name: BODY_SIZE_RULE, ActionToUse: { Count: {} } }]],
      ['AWSManagedRulesKnownBadInputsRuleSet', undefined],
      ['AWSManagedRulesAmazonIpReputationList', undefined],
    ]);
    const [size, outside] = rules.find((r) => r.Name === 'body-size-outside-api')!.Statement.AndStatement.Statements;
    expect(rules.find((r) => r.Name === 'body-size-outside-api')!.Action).toEqual({ Block: {} });
    expect(size.SizeConstraintStatement).toMatchObject({ FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: WAF_BODY_LIMIT });
    const prefixes = outside.NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString);
    expect(prefixes).toEqual(bodyPathPrefixes(routes));
    // The deployed routes that take a body, and no local-only one.
    expect(prefixes).toEqual(expect.arrayContaining(['/sessions', '/candidates', '/centres', '/jurors', '/certificates']));
    expect(prefixes).not.toContain('/_local');
    expect(prefixes).not.toContain('/verify');

    // Why: the largest grid in ASCII fits in 8 KB, but the schema takes any competence code of up to 32 characters,
    // and a client may send JSON with \u escapes (a deliberation's stated reason of 2,000 characters); the API takes
    // bodies up to 64 KB.
    const bytes = (body: unknown, asUnicodeEscapes = false) => {
      const json = JSON.stringify(body);
      return Buffer.byteLength(asUnicodeEscapes ? json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json);
    };
    const grid = (code: (i: number) => string) => ({
      candidateId: 'c'.repeat(64),
      bloc: `RNCP${'1'.repeat(28)}`,
      competences: Array.from({ length: 100 }, (_, i) => ({ code: code(i), result: 'non_acquis' as const })),
    });
    const ascii = grid((i) => `C${String(i).padStart(31, '0')}`);
    expect(AssessmentBody.safeParse(ascii).success).toBe(true);
    expect(bytes(ascii)).toBeLessThan(WAF_BODY_LIMIT);
    const accented = grid((i) => `é${String(i).padStart(31, 'é')}`);
    expect(AssessmentBody.safeParse(accented).success).toBe(true);
    expect(bytes(accented)).toBeGreaterThan(WAF_BODY_LIMIT);
    const deliberation = { candidateId: 'c'.repeat(64), outcome: 'titre' as const, blocs: [], finalInterviewHeld: true, assessmentsOverridden: 'é'.repeat(2000) };
    expect(DeliberationBody.safeParse(deliberation).success).toBe(true);
    expect(bytes(deliberation)).toBeLessThan(WAF_BODY_LIMIT);
    expect(bytes(deliberation, true)).toBeGreaterThan(WAF_BODY_LIMIT);
  });

  it('logs to a CloudWatch log group named aws-waf-logs-…, kept a month, with the paths, queries and Referer (certificate codes) redacted', () => {
    const edgeResources = Template.fromStack(edge).toJSON().Resources as Record<string, CfnResourceJson>;
    const groups = Object.entries(edgeResources).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(1);
    const [groupId, group] = groups[0]!;
    expect(group.Properties.RetentionInDays).toBe(30);
    expect(group.DeletionPolicy).toBe('Delete');
    const name = group.Properties.LogGroupName['Fn::Join'] as [string, unknown[]];
    expect(name[1][0]).toBe('aws-waf-logs-certification-ledger-');
    const logging = Object.values(edgeResources).filter((r) => r.Type === 'AWS::WAFv2::LoggingConfiguration');
    expect(logging).toHaveLength(1);
    const aclId = Object.entries(edgeResources).find(([, r]) => r.Type === 'AWS::WAFv2::WebACL')![0];
    expect(logging[0]!.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const destination = JSON.stringify(logging[0]!.Properties.LogDestinationConfigs);
    expect(destination).toContain(':log-group:');
    expect(destination).toContain(`"Ref":"${groupId}"`);
    expect(destination).not.toContain(':*');
    expect(logging[0]!.Properties.RedactedFields).toEqual([{ UriPath: {} }, { QueryString: {} }, { SingleHeader: { Name: 'referer' } }]);
  });

  it('guards the distribution when its ARN is given; a production stage needs one', () => {
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
    expect(distribution.Properties.DistributionConfig.WebACLId).toBe(WEB_ACL);
    expect(() => webAcl('production', undefined)).toThrow(/production stage needs context ledger:webAclArn/);
    expect(() => webAcl('development', 'arn:aws:wafv2:eu-west-3:111122223333:regional/webacl/x/0b1c')).toThrow(/CloudFront/);
    expect(webAcl('development', undefined)).toBeUndefined();
    expect(webAcl('production', WEB_ACL)).toBe(WEB_ACL);
  });
});

describe('the origin secret (issue 18)', () => {
  it('CloudFront sends it to the API origin only, from Secrets Manager (a dynamic reference, never the value in the template)', () => {
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0]!;
    const origins = distribution.Properties.DistributionConfig.Origins as { S3OriginConfig?: unknown; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
    const api = origins.filter((o) => !o.S3OriginConfig);
    expect(api).toHaveLength(1);
    const header = api[0]!.OriginCustomHeaders!.find((h) => h.HeaderName === ORIGIN_SECRET_HEADER)!;
    const secretId = logicalIdOf(stack, stack.originSecret!.secret);
    expect(JSON.stringify(header.HeaderValue)).toMatch(/\{\{resolve:secretsmanager:/);
    expect(JSON.stringify(header.HeaderValue)).toContain(`{"Ref":"${secretId}"}`);
    expect(JSON.stringify(header.HeaderValue)).toContain(':SecretString:value::}}');
    for (const o of origins.filter((o) => o.S3OriginConfig)) expect(o.OriginCustomHeaders ?? []).toEqual([]);
  });

  it('is rotated every 30 days by its function, which may change this distribution only', () => {
    const secretId = logicalIdOf(stack, stack.originSecret!.secret);
    const [, schedule] = ofType('AWS::SecretsManager::RotationSchedule')[0]!;
    expect(schedule.Properties.SecretId).toEqual({ Ref: secretId });
    expect(schedule.Properties.RotationRules.ScheduleExpression).toBe(`rate(${ORIGIN_SECRET_ROTATION.toDays()} days)`);
    const rotation = stack.functions.all().get(ROTATION_MODULE)!;
    expect(schedule.Properties.RotationLambdaARN).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, rotation.handler), 'Arn'] });
    const statements = statementsOfRole(resources, logicalIdOf(stack, rotation.role));
    const cloudfront = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('cloudfront:')));
    expect(actionsOf(cloudfront).sort()).toEqual(['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution']);
    expect(JSON.stringify(cloudfront[0]!.Resource)).toContain(`{"Ref":"${logicalIdOf(stack, stack.web!.distribution)}"}`);
    const fn = resources[logicalIdOf(stack, rotation.handler)]!;
    expect(fn.Properties.Environment.Variables.DISTRIBUTION_ID).toEqual({ Ref: logicalIdOf(stack, stack.web!.distribution) });
  });

  it('only the rate-limited functions may read it; every function knows its ARN', () => {
    const secretId = logicalIdOf(stack, stack.originSecret!.secret);
    const limited = Object.entries(functionAccess)
      .filter(([, a]) => a.rateLimit)
      .map(([m]) => m);
    expect(limited.length).toBeGreaterThan(2);
    for (const [module, fn] of stack.functions.all()) {
      const reads = statementsOfRole(resources, logicalIdOf(stack, fn.role)).filter(
        (s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(secretId),
      );
      expect(reads.length > 0, module).toBe(limited.includes(module) || module === ROTATION_MODULE);
      expect(resources[logicalIdOf(stack, fn.handler)]!.Properties.Environment.Variables.ORIGIN_SECRET_ARN).toEqual({ Ref: secretId });
    }
  });
});

describe('the execute-api address is no way around CloudFront (issue 18)', () => {
  it(
    'in production every route function refuses requests without the origin secret, reads the secret, and the origin URL is not published as the API',
    () => {
      const production = synthesize({
        context: {
          'ledger:stage': 'production',
          'ledger:domainName': 'registre.example.gouv.fr',
          'ledger:certificateArn': 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
          'ledger:webAclArn': WEB_ACL,
          'ledger:alarmEmail': 'exploitation@example.gouv.fr',
          'ledger:sesIdentity': 'registre.example.gouv.fr',
        },
      });
      const secretId = logicalIdOf(production.stack, production.stack.originSecret!.secret);
      const routes = production.stack.functions.routeFunctions();
      expect(routes.length).toBeGreaterThan(40);
      for (const fn of routes) {
        const id = logicalIdOf(production.stack, fn.handler);
        expect(production.resources[id]!.Properties.Environment.Variables.API_BEHIND_CLOUDFRONT, fn.node.id).toBe('true');
        const onSecret = statementsOfRole(production.resources, logicalIdOf(production.stack, fn.role)).filter((s) => JSON.stringify(s.Resource).includes(`"${secretId}"`));
        expect(actionsOf(onSecret), fn.node.id).toContain('secretsmanager:GetSecretValue');
      }
      const outputs = production.template.toJSON().Outputs as Record<string, { Description?: string }>;
      expect(Object.keys(outputs).filter((k) => k.startsWith('HttpUrl'))).toEqual([]);
      const origin = Object.entries(outputs).find(([k]) => k.startsWith('HttpOriginUrlNotPublic'));
      expect(origin?.[1].Description).toMatch(/not for the public/);
    },
    SYNTH_TIMEOUT,
  );

  it('a development stage (the twin, a trial) has no such check: no CloudFront in front of the twin', () => {
    for (const fn of stack.functions.routeFunctions()) {
      expect(resources[logicalIdOf(stack, fn.handler)]!.Properties.Environment.Variables.API_BEHIND_CLOUDFRONT, fn.node.id).toBeUndefined();
    }
  });
});
