import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.js';
import { apiPathPatterns, CDN_LOG_DAYS, corsPathPatterns, STATUS_LIST_PATTERN } from '../../infra/constructs/ledger-web.js';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { cloudFrontRewriteSource, pageFor, pages } from '../../web/site.js';
import { logicalIdOf, SYNTH_TIMEOUT, synthesize, type CfnResourceJson } from './support.js';

let stack: LedgerStack;
let resources: Record<string, CfnResourceJson>;

beforeAll(() => {
  ({ stack, resources } = synthesize());
}, SYNTH_TIMEOUT);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const ref = (id: string) => ({ Ref: id });
const deployed = routes.filter((r) => !r.localOnly);
// Managed policies of CloudFront, by id.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const web = () => stack.web!;
const distribution = () => resources[logicalIdOf(stack, web().distribution)]!.Properties.DistributionConfig;
const pathsOf = (page: (typeof pages)[number]) => [...page.paths, ...(page.prefix ? [`${page.prefix}7KQ2-M9XD-4HTB-P3W`] : [])];

describe('the pages in AWS (infra/constructs/ledger-web.ts)', () => {
  it('are in a private, encrypted, versioned, TLS-only bucket that only this distribution reads (origin access control), with access logs', () => {
    const id = logicalIdOf(stack, web().bucket);
    const bucket = resources[id]!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual(ref(logicalIdOf(stack, stack.buckets.accessLogs)));

    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(id)))!;
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: unknown; Condition?: Record<string, unknown> }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(logicalIdOf(stack, web().distribution));

    const oacs = ofType('AWS::CloudFront::OriginAccessControl');
    expect(oacs).toHaveLength(1);
    expect(oacs[0]![1].Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
  });

  it('serve the pages by default over HTTPS, their paths rewritten to their HTML, and every API path to the HTTP API uncached with all headers but Host', () => {
    const config = distribution();
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Logging.Bucket).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, web().logs), 'RegionalDomainName'] });
    const s3Origin = config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');

    const byDefault = config.DefaultCacheBehavior;
    expect(byDefault.TargetOriginId).toBe(s3Origin.Id);
    expect(byDefault.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(byDefault.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(byDefault.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } }]);

    const apiOrigin = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(logicalIdOf(stack, stack.http.api));

    const patterns = apiPathPatterns(deployed);
    expect(patterns).toEqual(expect.arrayContaining(['/verify*', '/certificates*', '/sessions*', '/.well-known*', '/statistics*', '/centres*']));
    expect(patterns.some((p) => p.startsWith('/_local'))).toBe(false);
    const behaviors = config.CacheBehaviors as Record<string, any>[];
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual([...patterns].sort());
    for (const b of behaviors.filter((x) => x.PathPattern !== STATUS_LIST_PATTERN)) {
      expect(b.TargetOriginId, b.PathPattern).toBe(apiOrigin.Id);
      expect(b.ViewerProtocolPolicy).toBe('https-only');
      expect(b.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']));
      expect(b.CachePolicyId).toBe(CACHING_DISABLED);
      expect(b.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    }
  });

  it('every API behaviour forwards CloudFront-Viewer-Address, the address the public rate limit counts (issue 18)', () => {
    // The managed AllViewerExceptHostHeader forwards every viewer header but Host and adds CloudFront's own headers,
    // CloudFront-Viewer-Address among the viewer-location ones (see infra/constructs/ledger-web.ts). No custom policy
    // can do both: `allExcept` adds no CloudFront header, `allViewerAndWhitelistCloudFront` forwards Host too, which
    // API Gateway routes on. So every API behaviour keeps the managed one, and the stack defines no other.
    const behaviors = distribution().CacheBehaviors as Record<string, any>[];
    expect(behaviors.length).toBeGreaterThan(0);
    for (const b of behaviors) expect(b.OriginRequestPolicyId, b.PathPattern).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::CloudFront::OriginRequestPolicy')).toEqual([]);
  });

  it('cache the status lists as long as their Cache-Control says, and add CORS (any origin, GET only, no credentials) on the public reads', () => {
    const config = distribution();
    const behaviors = config.CacheBehaviors as Record<string, any>[];
    const lists = behaviors.find((b) => b.PathPattern === STATUS_LIST_PATTERN)!;
    expect(lists.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(lists.CachePolicyId).not.toBe(CACHING_DISABLED);
    expect(lists.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    const cache = resources[lists.CachePolicyId.Ref]!.Properties.CachePolicyConfig;
    // The origin's max-age decides (default 0: nothing kept without it), nothing of the request in the key.
    expect(cache).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 3600 });
    expect(cache.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      HeadersConfig: { HeaderBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
    });

    const cors = corsPathPatterns(deployed);
    expect(cors).toEqual(expect.arrayContaining(['/verify*', '/certificates*', '/certifiers*', '/status-lists*', '/.well-known*']));
    for (const b of behaviors) {
      const policy = resources[b.ResponseHeadersPolicyId.Ref]!.Properties.ResponseHeadersPolicyConfig;
      if (!cors.includes(b.PathPattern)) {
        expect(policy.CorsConfig, b.PathPattern).toBeUndefined();
        continue;
      }
      expect(policy.CorsConfig, b.PathPattern).toEqual({
        AccessControlAllowOrigins: { Items: ['*'] },
        AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
        AccessControlAllowHeaders: { Items: ['accept', 'content-type'] },
        AccessControlAllowCredentials: false,
        AccessControlMaxAgeSec: 86400,
        OriginOverride: true,
      });
      expect(policy.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000 });
    }
  });

  it('never send a page path to the API, and the CloudFront Function maps each page path to the file the local server serves', () => {
    const patterns = apiPathPatterns(deployed).map((p) => new RegExp(`^${p.slice(0, -1).replace(/[.]/g, '\\.')}`));
    const handler = runInNewContext(`${cloudFrontRewriteSource()}; handler`) as (e: { request: { uri: string } }) => { uri: string };
    for (const page of pages) {
      for (const path of pathsOf(page)) {
        expect(
          patterns.filter((p) => p.test(path)),
          path,
        ).toEqual([]);
        expect(handler({ request: { uri: path } }).uri, path).toBe(`/${page.file}`);
        if (path !== '/') expect(handler({ request: { uri: `${path}/` } }).uri, `${path}/`).toBe(`/${pageFor(`${path}/`)}`);
      }
    }
    for (const other of ['/assets/site.css', '/assets/candidat.js', '/config.json', '/v/A/B']) expect(handler({ request: { uri: other } }).uri, other).toBe(other);
    expect(pageFor('/v/A/B')).toBeUndefined();
  });

  it('answer with security headers: a CSP without inline code that lets the pages reach Cognito, no framing, no referrer, HSTS', () => {
    const [[, policy]] = ofType('AWS::CloudFront::ResponseHeadersPolicy').filter(
      ([, p]) => p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    ) as [[string, CfnResourceJson]];
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: Object.entries(resources).find(([, r]) => r === policy)![0] });
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('amazoncognito.com');
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true });
  });

  it('deploy the built web/ with its config (Cognito domain and client) and invalidate the distribution', () => {
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment') as [[string, CfnResourceJson]];
    expect(deployment.Properties.DestinationBucketName).toEqual(ref(logicalIdOf(stack, web().bucket)));
    expect(deployment.Properties.DistributionId).toEqual(ref(logicalIdOf(stack, web().distribution)));
    expect(deployment.Properties.DistributionPaths).toEqual(['/*']);
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain(logicalIdOf(stack, web().client));
  });

  it('sign in through Cognito’s hosted UI (code flow with PKCE, back to /connexion), and the API admits that client’s tokens', () => {
    const client = resources[logicalIdOf(stack, web().client)]!.Properties;
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.GenerateSecret).toBe(false);
    // SRP for the password sign-in and the refresh token; no custom auth (Cognito's default when the list is absent).
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(JSON.stringify(client.CallbackURLs)).toContain('/connexion');
    expect(JSON.stringify(client.CallbackURLs)).toContain(logicalIdOf(stack, web().distribution));
    expect(ofType('AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    // Its ID tokens carry the link to the ledger, which its users cannot write.
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:ledger_id', 'custom:region']));
    expect(client.WriteAttributes.length).toBeGreaterThan(0);
    for (const name of ['custom:ledger_id', 'custom:region', 'email']) expect(client.WriteAttributes).not.toContain(name);

    const [[, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, CfnResourceJson]];
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([ref(logicalIdOf(stack, stack.http.client)), ref(logicalIdOf(stack, web().client))]);
  });

  it('certificates point their QR codes at the distribution: PUBLIC_BASE_URL is its address', () => {
    const fn = resources[logicalIdOf(stack, stack.functions.get('certificates/verify-certificate', { method: 'GET' }).handler)]!;
    expect(JSON.stringify(fn.Properties.Environment.Variables.PUBLIC_BASE_URL)).toContain(logicalIdOf(stack, web().distribution));
  });
});

describe('CloudFront’s standard logs carry certificate codes (/verify/CODE, /v/CODE): kept a week only (issue 17)', () => {
  it('the distribution logs without cookies into the CDN logs bucket, whose lines expire after CDN_LOG_DAYS and their old versions after a day', () => {
    expect(CDN_LOG_DAYS).toBeLessThanOrEqual(7);
    const logsId = logicalIdOf(stack, web().logs);
    const logging = distribution().Logging;
    expect(logging.Bucket).toEqual({ 'Fn::GetAtt': [logsId, 'RegionalDomainName'] });
    expect(logging.IncludeCookies ?? false).toBe(false);
    const rules = resources[logsId]!.Properties.LifecycleConfiguration.Rules as {
      Status: string;
      ExpirationInDays?: number;
      NoncurrentVersionExpiration?: { NoncurrentDays: number };
      Prefix?: string;
    }[];
    const expiring = rules.filter((r) => r.Status === 'Enabled' && r.ExpirationInDays !== undefined && !r.Prefix);
    expect(expiring.map((r) => r.ExpirationInDays)).toEqual([CDN_LOG_DAYS]);
    expect(expiring[0]!.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 1 });
    // No other bucket of the stack receives them (a second copy kept longer would undo the expiry).
    const distributions = ofType('AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(1);
  });
});
