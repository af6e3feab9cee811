import { Aws, CfnOutput, DockerImage, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { RouteEntry } from '../../functions/routes.js';
import { webRoot, writeWebSync } from '../../web/build.js';
import { cloudFrontRewriteSource, contentSecurityPolicy } from '../../web/site.js';
import type { LedgerStage } from '../../functions/shared/stage.js';
import { acknowledge } from '../nag.js';
import type { LedgerSignIn } from './ledger-sign-in.js';
import { clientReadAttributes, clientWriteAttributes, type LedgerHttpApi } from './ledger-http-api.js';

/** How long CloudFront's standard logs are kept: they carry the certificate codes of /verify and /v requests. */
export const CDN_LOG_DAYS = 7;
/**
 * The CloudFront path patterns that go to the HTTP API: one per first segment of the deployed routes
 * (`/sessions*`, `/verify*`, `/.well-known*`…). Everything else is the pages' bucket. The pages' paths
 * (web/site.ts) never start like a route (test/infra/web.test.ts checks it).
 */
export function apiPathPatterns(routes: readonly Pick<RouteEntry, 'path'>[]): string[] {
  return [...new Set(routes.map((r) => r.path.split('/')[1]!))].sort().map((segment) => `/${segment}*`);
}

/** The path patterns (as apiPathPatterns makes them) that hold a `cors` route: CORS added by CloudFront there too. */
export function corsPathPatterns(routes: readonly Pick<RouteEntry, 'path' | 'cors'>[]): string[] {
  return apiPathPatterns(routes.filter((r) => r.cors));
}

/** The status lists' path pattern: the one API behavior CloudFront caches. */
export const STATUS_LIST_PATTERN = '/status-lists*';

export interface LedgerWebProps {
  /** The HTTP API (origin of the API paths), its user pool (hosted sign-in) and JWT authorizer. */
  http: LedgerHttpApi;
  /** Deployed routes (localOnly already left out). */
  routes: readonly RouteEntry[];
  /** Receives the server access logs of the pages' bucket and of the CloudFront logs bucket. */
  accessLogs: s3.IBucket;
  /** The Cognito hosted sign-in domain prefix (globally unique). @default `certification-ledger-<account>` */
  signInDomainPrefix?: string;
  /**
   * The public host name (`registre.example.gouv.fr`) and its ACM certificate (in us-east-1, as CloudFront requires):
   * every QR code and credential names this address, which outlives any distribution. @default the distribution's own
   */
  domain?: { name: string; certificateArn: string };
  /** A development stage's pages carry the specimen banner. @default development */
  stage?: LedgerStage;
  /** The header CloudFront adds to every request to the API, so the API may trust CloudFront-Viewer-Address. */
  originSecret?: { header: string; value: string };
  /** The WAF web ACL (scope CLOUDFRONT, in us-east-1: infra/stacks/edge-stack.ts) guarding the distribution. */
  webAclArn?: string;
  /** FranceConnect and ProConnect beside Cognito's own sign-in (infra/constructs/ledger-sign-in.ts). */
  signIn?: LedgerSignIn;
}

/**
 * The web pages of web/ (issue 6) in AWS: a private bucket read by CloudFront only (origin access control),
 * one distribution that serves the pages and, under the API's own paths, the HTTP API, so pages and API share
 * one origin as they do locally (relative fetches, the QR codes' /v/{code}, no CORS). Security headers on every
 * answer; the pages' addresses mapped to their HTML by a CloudFront Function written from web/site.ts.
 *
 * Sign-in is Cognito's hosted UI (authorisation code + PKCE) on a client of the API's user pool; that client is
 * added to the JWT authorizer's audience, so its ID tokens (which carry custom:ledger_id) reach the API.
 */
export class LedgerWeb extends Construct {
  readonly bucket: s3.Bucket;
  readonly logs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly signInDomain: cognito.UserPoolDomain;
  readonly client: cognito.UserPoolClient;
  readonly deployment: s3deploy.BucketDeployment;
  /** https://<distribution>: where the pages (and the certificates' QR codes) live. */
  readonly url: string;
  readonly stage: LedgerStage;

  constructor(scope: Construct, id: string, props: LedgerWebProps) {
    super(scope, id);
    this.stage = props.stage ?? 'development';
    const stage = this.stage;
    const secure = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
    } satisfies s3.BucketProps;

    this.bucket = new s3.Bucket(this, 'Pages', {
      ...secure,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsPrefix: 'web/',
      // The pages are built from web/ at every deployment: nothing here is the only copy.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-replaced-pages', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    // CloudFront's standard logs are written with ACLs: this bucket alone lets the object writer own them.
    // Each line names the path, so `/verify/<code>` and `/v/<code>` (and, in cs(Referer), the /v page that loaded an
    // asset): a certificate code, which lets whoever holds it read the certificate (issue 17). The Lambda logs hash
    // codes (functions/shared/loggable.ts); these lines cannot be rewritten, so they are kept only as long as an
    // incident is looked into: CDN_LOG_DAYS, then gone with their old versions (README, Privacy).
    this.logs = new s3.Bucket(this, 'CdnLogs', {
      ...secure,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      serverAccessLogsPrefix: 'cdn-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(CDN_LOG_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
    });

    const signInDomainPrefix = props.signInDomainPrefix ?? Fn.join('-', ['certification-ledger', Aws.ACCOUNT_ID]);
    this.signInDomain = new cognito.UserPoolDomain(this, 'SignIn', {
      userPool: props.http.userPool,
      cognitoDomain: { domainPrefix: signInDomainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    const pagesPolicy = new cloudfront.ResponseHeadersPolicy(this, 'PagesHeaders', {
      comment: 'certification-ledger pages: CSP without inline code, no framing, no referrer, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy([this.signInDomain.baseUrl()]), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true }] },
    });
    // The API's answers (JSON, PDF, JWS) get the transport headers, not the pages' CSP (it would block the PDF viewer).
    const apiPolicy = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'certification-ledger API through CloudFront: HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      },
    });

    const rewrite = new cloudfront.Function(this, 'PagePaths', {
      comment: 'Maps the pages’ paths (web/site.ts) to their HTML files',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(cloudFrontRewriteSource()),
    });

    const api = new origins.HttpOrigin(Fn.parseDomainName(props.http.api.apiEndpoint), {
      ...(props.originSecret ? { customHeaders: { [props.originSecret.header]: props.originSecret.value } } : {}),
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: api,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Every header but Host (API Gateway routes on its own host name): Authorization, Idempotency-Key…, and CloudFront's
      // own headers, CloudFront-Viewer-Address among them, which the public rate limit counts (functions/shared/
      // viewer-address.ts). AWS's "Use managed origin request policies" lists for AllViewerExceptHostHeader all viewer
      // headers except Host plus the CloudFront headers (protocol, HTTP and TLS version, device type, viewer
      // location: CloudFront-Viewer-Address is one of "Add CloudFront request headers"' location headers); a Lambda
      // behind it receives `cloudfront-viewer-address`. A custom policy cannot replace it: `allExcept` adds no
      // CloudFront header, `allViewerAndWhitelistCloudFront` forwards Host as well (test/infra/web.test.ts).
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiPolicy,
    };

    // The public reads of verifiers and wallets elsewhere: the API's headers plus CORS (any origin, GET only).
    const publicReadPolicy = new cloudfront.ResponseHeadersPolicy(this, 'PublicReadHeaders', {
      comment: 'certification-ledger public reads (verification, credentials, status lists, DID documents, JWKS): CORS for any origin, GET only',
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        accessControlAllowHeaders: ['accept', 'content-type'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      },
    });
    // Status lists are the same for everyone and signed per request: kept as long as their Cache-Control says.
    const statusListCache = new cloudfront.CachePolicy(this, 'StatusListCache', {
      comment: 'certification-ledger status lists: the origin Cache-Control decides (max-age), nothing of the request in the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.hours(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const behaviorOf = (pattern: string): cloudfront.BehaviorOptions => {
      const cors = corsPathPatterns(props.routes).includes(pattern);
      if (pattern === STATUS_LIST_PATTERN) {
        return {
          ...apiBehavior,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachePolicy: statusListCache,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: publicReadPolicy,
          compress: true,
        };
      }
      return cors ? { ...apiBehavior, responseHeadersPolicy: publicReadPolicy } : apiBehavior;
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'certification-ledger: pages and API',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pagesPolicy,
        functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns(props.routes).map((pattern) => [pattern, behaviorOf(pattern)])),
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    // The pages' sign-in client: authorisation code with PKCE, no secret (a browser keeps none), back to /connexion.
    this.client = new cognito.UserPoolClient(this, 'SignInClient', {
      userPool: props.http.userPool,
      generateSecret: false,
      // SRP and the refresh token, no custom auth (Cognito's default when the list is absent would allow it). AWS says
      // the hosted sign-in pages too follow the client's flows ("Implement authentication flows"), so SRP stays for
      // the password sign-in; its tokens carry aws.cognito.signin.user.admin (UpdateUserAttributes), and the pool keeps
      // an account's original email until a new one is verified (keepOriginal), so the email the pre sign-up trigger
      // links on cannot be swapped unverified.
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      supportedIdentityProviders: props.signIn?.clientProviders() ?? [cognito.UserPoolClientIdentityProvider.COGNITO],
      readAttributes: clientReadAttributes(),
      writeAttributes: props.signIn?.clientWriteAttributes() ?? clientWriteAttributes(),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [`${this.url}/connexion`],
        logoutUrls: [`${this.url}/connexion`],
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // A client may name a provider only once it exists.
    for (const provider of props.signIn?.providers.values() ?? []) this.client.node.addDependency(provider);
    // Its ID tokens (aud = this client) must pass the API's JWT authorizer too.
    const authorizer = props.http.api.node.findAll().find((c): c is apigw.CfnAuthorizer => c instanceof apigw.CfnAuthorizer);
    if (!authorizer) throw new Error('the HTTP API has no JWT authorizer to admit the pages’ client');
    authorizer.addPropertyOverride('JwtConfiguration.Audience', [props.http.client.userPoolClientId, this.client.userPoolClientId]);

    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [
        // web/ built by esbuild at synthesis (no Docker): the same files `npm start` serves.
        s3deploy.Source.asset(webRoot, {
          bundling: {
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
            local: {
              tryBundle(outputDir) {
                writeWebSync(outputDir, { stage });
                return true;
              },
            },
          },
        }),
        s3deploy.Source.jsonData('config.json', this.pagesConfig(stage, props.signIn)),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Revalidated at every visit: a deployment shows at once.
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 256,
    });

    this.acknowledgeFindings(props.webAclArn);
    new CfnOutput(this, 'Url', { value: this.url, description: 'The pages: /v, /candidat, /certificateurs, /ministere, /connexion' });
    // With a domain, CloudFront answers to it only once the domain's DNS names the distribution (README, "Deploy").
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
      description: props.domain ? `Point ${props.domain.name} at it: a CNAME, or an alias A/AAAA record in Route 53` : 'The pages’ and the API’s address (a development stage)',
    });
    new CfnOutput(this, 'SignInUrl', { value: this.signInDomain.baseUrl(), description: 'Cognito hosted sign-in' });
  }

  /** What the pages read at /config.json (web/serve.ts `WebConfig`): where to sign in, and with which providers. */
  pagesConfig(stage: string, signIn?: LedgerSignIn) {
    return {
      mode: 'aws' as const,
      stage,
      cognito: { domain: this.signInDomain.baseUrl(), clientId: this.client.userPoolClientId, scopes: ['openid', 'email'] },
      // /connexion offers a button for each provider the pool has (web/src/lib/federated-sign-in.ts), and only those.
      providers: [...(signIn?.providers.keys() ?? [])],
    };
  }

  private acknowledgeFindings(webAclArn: string | undefined) {
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction by design: employers abroad verify French certificates through /v; the API throttles and rate-limits public calls.',
    );
    if (!webAclArn) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'A development stage without context ledger:webAclArn: the web ACL lives in the us-east-1 stack CertificationLedgerEdge (a CloudFront web ACL must); the API Gateway stage throttles every route and the verification routes are rate limited per viewer by the application. A production stage refuses to synthesise without it.',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate has a fixed TLSv1 security policy; give the distribution a custom domain with an ACM certificate to pin TLSv1.2_2021. Origins are reached over TLSv1.2 only.',
    );
    // The BucketDeployment's singleton handler (one per stack), made by aws-cdk-lib.
    for (const child of Stack.of(this).node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      acknowledge(child, 'AwsSolutions-IAM4', 'The CDK BucketDeployment handler uses AWSLambdaBasicExecutionRole to write its own logs; it runs only during deployments.');
      acknowledge(
        child,
        'AwsSolutions-IAM5',
        'The CDK BucketDeployment handler reads the staged asset objects and writes every key of the pages’ bucket (s3:*Object* on bucket/*), by construction.',
      );
      acknowledge(child, 'AwsSolutions-L1', 'The CDK BucketDeployment handler’s runtime is chosen by aws-cdk-lib and moves with its upgrades.');
    }
  }
}
