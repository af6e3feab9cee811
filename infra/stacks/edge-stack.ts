import { ArnFormat, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { stackInstanceSuffix } from '../names.js';

/** Requests per 5 minutes (WAF's evaluation window) one address may make to anything. */
export const RATE_LIMIT_PER_5_MINUTES = 1000;
/** Requests per 5 minutes one address may make to the public verification paths (the API's limiter counts closer). */
export const VERIFY_RATE_LIMIT_PER_5_MINUTES = 300;
/** How long the WAF's logs are kept: enough to look into an incident at the edge, not a record of who verified what. */
export const WAF_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** AWS managed rule groups, by name: common exploits, known bad inputs, addresses with a bad reputation. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'] as const;

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

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    if (this.region !== 'us-east-1') throw new Error(`a CloudFront web ACL must be in us-east-1, not ${this.region}`);
    let priority = 0;
    const managed = MANAGED_RULE_GROUPS.map(
      (name): wafv2.CfnWebACL.RuleProperty => ({
        name,
        priority: priority++,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      }),
    );
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
