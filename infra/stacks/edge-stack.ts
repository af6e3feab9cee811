import { ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { routes as manifest, type RouteEntry } from '../../functions/routes.js';
import { stackInstanceSuffix } from '../names.js';

/** Requests per 5 minutes (WAF's evaluation window) one address may make to anything. */
export const RATE_LIMIT_PER_5_MINUTES = 1000;
/** Requests per 5 minutes one address may make to the public verification paths (the API's limiter counts closer). */
export const VERIFY_RATE_LIMIT_PER_5_MINUTES = 300;
/** How long the WAF's logs are kept: enough to look into an incident at the edge, not a record of who verified what. */
export const WAF_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** AWS managed rule groups, by name: common exploits, known bad inputs, addresses with a bad reputation. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'] as const;

/** The Common rule set's rule that blocks every request body over WAF_BODY_LIMIT bytes. */
export const BODY_SIZE_RULE = 'SizeRestrictions_BODY';
/** 8 KB: what SizeRestrictions_BODY allows (fixed by AWS), and what WAF inspects of a body at most with it. */
export const WAF_BODY_LIMIT = 8192;

/**
 * The path prefixes of the API's routes that take a body (all but GET), as CloudFront's behaviours name them
 * (infra/constructs/ledger-web.ts, apiPathPatterns): only there may a body exceed 8 KB.
 */
export function bodyPathPrefixes(routes: readonly Pick<RouteEntry, 'method' | 'path' | 'localOnly'>[]): string[] {
  return [...new Set(routes.filter((r) => !r.localOnly && r.method !== 'GET').map((r) => `/${r.path.split('/')[1]!}`))].sort();
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/**
 * The WAF web ACL of the distribution. A web ACL of scope CLOUDFRONT must be created in us-east-1, whatever the
 * ledger's region, so it is a stack of its own there: deploy it first, then give its ARN (output WebAclArn) to the
 * ledger's stack as context `ledger:webAclArn` (required in production, infra/ledger-app.ts). A context value rather
 * than CDK's cross-region references, which would add an SSM-reading custom resource to the ledger's stack.
 */
export class LedgerEdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;
  readonly wafLogs: logs.LogGroup;

  /** `routes`: the route manifest by default (functions/routes.ts), as the ledger's stack deploys it. */
  constructor(scope: Construct, id: string, { routes = manifest, ...props }: StackProps & { routes?: readonly RouteEntry[] } = {}) {
    super(scope, id, props);
    if (this.region !== 'us-east-1') throw new Error(`a CloudFront web ACL must be in us-east-1, not ${this.region}`);
    let priority = 0;
    // A certifier's request can be larger than 8 KB and valid (an assessment grid of 100 competences, a deliberation
    // whose stated reason is 2,000 characters of accented French: test/infra/edge-protection.test.ts builds both),
    // which the Common rule set's SizeRestrictions_BODY would block: it only counts, and the rule after the managed
    // groups blocks such a body everywhere but on the API's paths that take one (the functions refuse a body over
    // 64 KB themselves, 413 payload-too-large: functions/shared/dispatch.ts).
    const managed = MANAGED_RULE_GROUPS.map(
      (name): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority: priority++,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            ...(name === 'AWSManagedRulesCommonRuleSet' ? { ruleActionOverrides: [{ name: BODY_SIZE_RULE, actionToUse: { count: {} } }] } : {}),
          },
        },
        visibilityConfig: visibility(name),
      }),
    );
    const prefixes = bodyPathPrefixes(routes).map(
      (prefix): wafv2.CfnWebACL.StatementProperty => ({
        byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: prefix, textTransformations: [{ priority: 0, type: 'NONE' }] },
      }),
    );
    const onBodyPaths: wafv2.CfnWebACL.StatementProperty = prefixes.length === 1 ? prefixes[0]! : { orStatement: { statements: prefixes } };
    const bodySize: wafv2.CfnWebACL.RuleProperty = {
      name: 'body-size-outside-api',
      priority: MANAGED_RULE_GROUPS.length + 2,
      action: { block: {} },
      statement: {
        andStatement: {
          statements: [
            {
              sizeConstraintStatement: {
                fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
                comparisonOperator: 'GT',
                size: WAF_BODY_LIMIT,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
            { notStatement: { statement: onBodyPaths } },
          ],
        },
      },
      visibilityConfig: visibility('body-size-outside-api'),
    };
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      description: 'certification-ledger: rate limits per address and AWS managed rules, in front of the pages and the API',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('certification-ledger'),
      rules: [
        {
          name: 'verify-rate-per-ip',
          priority: priority++,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: VERIFY_RATE_LIMIT_PER_5_MINUTES,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: '/verify',
                  textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('verify-rate-per-ip'),
        },
        {
          name: 'rate-per-ip',
          priority: priority++,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: RATE_LIMIT_PER_5_MINUTES, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-per-ip'),
        },
        ...managed,
        bodySize,
      ],
    });
    // WAF logs to CloudWatch Logs only into a group named `aws-waf-logs-…`. Suffixed by the stack instance and not
    // retained, so a redeployment after `cdk destroy` makes its own. The path, the query and the Referer are
    // redacted: they carry certificate codes (/verify/CODE, /v/CODE); the rule that matched, the address and the
    // country remain, which is what an incident at the edge needs.
    this.wafLogs = new logs.LogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-certification-ledger-${stackInstanceSuffix()}`,
      retention: WAF_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // The group's ARN without the `:*` that LogGroup.logGroupArn ends with: WAF refuses it.
      logDestinationConfigs: [this.formatArn({ service: 'logs', resource: 'log-group', resourceName: this.wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      redactedFields: [{ uriPath: {} }, { queryString: {} }, { singleHeader: { Name: 'referer' } }],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'Give it to the ledger stack: -c ledger:webAclArn=<this>' });
  }
}

/** The ARN of a CloudFront web ACL (global, hence us-east-1). */
export const isCloudFrontWebAclArn = (arn: string) => /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]+$/.test(arn);
