import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, type RouteEntry } from '../../functions/routes.js';
import { acknowledge } from '../nag.js';
import type { LedgerFunctions } from './ledger-functions.js';

/**
 * The invitation Cognito emails with AdminCreateUser (the …/accounts routes): French, since the users are French
 * certifiers and candidates. Cognito requires {username} and {####} (the temporary password) in the body.
 */
/** The code Cognito sends to verify an address or reset a password, in French like the invitation. */
export const USER_VERIFICATION = {
  emailSubject: 'Registre des titres professionnels : votre code',
  emailBody: 'Bonjour,\n\nVoici votre code pour le registre des titres professionnels : {####}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.',
} as const;

export const USER_INVITATION = {
  emailSubject: 'Votre accès au registre des titres professionnels',
  emailBody: [
    'Bonjour,',
    'Un compte vient d’être créé pour vous sur le registre des titres professionnels et de leurs blocs de compétences (CCP).',
    'Identifiant : {username}<br>Mot de passe provisoire : {####}',
    'À votre première connexion, vous choisirez votre mot de passe et activerez la double authentification. Le mot de passe provisoire est valable 3 jours ; passé ce délai, demandez une nouvelle invitation à la personne qui vous a invité.',
    'Si vous n’attendiez pas ce message, ignorez-le : sans connexion, le compte reste inutilisé.',
  ].join('<br><br>'),
} as const;

/**
 * What the app clients read and write. The ID token carries the attributes a client may read, so `custom:ledger_id`
 * and `custom:region` must be readable; neither is writable, nor is the email (the inviter disables an account by
 * the email it invited), so no user can relink their own account.
 */
export const clientReadAttributes = () =>
  new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, givenName: true, familyName: true }).withCustomAttributes('ledger_id', 'region');
export const clientWriteAttributes = () => new cognito.ClientAttributes().withStandardAttributes({ givenName: true, familyName: true });

/** Every route of the stage, unless a route sets its own. */
export const DEFAULT_THROTTLE = { rateLimit: 100, burstLimit: 200 };
/**
 * Public verification routes (`/verify/...`): a stage limit shared by every caller in France, so a national figure,
 * not a per-viewer one (those are the WAF's rate-based rule and the application's limiter, per address). 1,000 rps
 * covers a peak of employers and platforms verifying at once with room to spare, stays a tenth of the account's
 * API Gateway quota (10,000 rps per region) so a flood on /verify cannot starve the authenticated routes, and at a
 * few tens of milliseconds per verification keeps the function well below the default 1,000 concurrent Lambdas.
 */
export const VERIFY_THROTTLE = { rateLimit: 1_000, burstLimit: 2_000 };
export const isThrottledPublicRoute = (r: RouteEntry) => r.auth === 'public' && /^\/verify(\/|$)/.test(r.path);

export interface LedgerHttpApiProps {
  /** Deployed routes (localOnly already left out). */
  routes: readonly RouteEntry[];
  functions: LedgerFunctions;
  /** Cognito groups, one per role of the API. */
  groups: readonly string[];
  logRetention: logs.RetentionDays;
}

/**
 * The HTTP API (API Gateway v2) built from the route manifest: one Lambda integration per route, a Cognito
 * JWT authorizer on every route but the public ones (the role itself is checked in the handler, from the
 * `cognito:groups` claim), access logs, throttling.
 */
export class LedgerHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: LedgerHttpApiProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // The ledger invites accounts by their email in lower case; people type it as they like.
      signInCaseSensitive: false,
      userVerification: { emailSubject: USER_VERIFICATION.emailSubject, emailBody: USER_VERIFICATION.emailBody, emailStyle: cognito.VerificationEmailStyle.CODE },
      standardAttributes: { email: { required: true, mutable: true } },
      // The pre sign-up trigger links a federated sign-in by verified email: a changed email stays unverified and
      // unused (the old one kept) until its code is confirmed, whoever writes it (the pages' client may, for the
      // providers' attribute mapping).
      keepOriginal: { email: true },
      // The link to the ledger, set once by the ledger's invitation (functions/adapters/cognito-account-directory.ts).
      customAttributes: {
        ledger_id: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        region: new cognito.StringAttribute({ minLen: 1, maxLen: 100, mutable: true }),
      },
      userInvitation: USER_INVITATION,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of props.groups) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.userPool.userPoolId, groupName: group, description: `role ${group}` });
    }
    this.client = this.userPool.addClient('Client', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      disableOAuth: true,
      readAttributes: clientReadAttributes(),
      writeAttributes: clientWriteAttributes(),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    props.functions.useUserPool(this.userPool);
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    const authorizer = new HttpJwtAuthorizer('Cognito', issuer, { jwtAudience: [this.client.userPoolClientId] });

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'certification-ledger',
      createDefaultStage: false,
      // The public reads verifiers and wallets make from pages elsewhere (`cors` routes of the manifest): any origin,
      // GET only, no credentials, and no Authorization header allowed in a preflight, so a page elsewhere reads
      // public answers only. API Gateway answers the preflights itself (no OPTIONS route, no function).
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.HEAD, apigw.CorsHttpMethod.OPTIONS],
        allowHeaders: ['accept', 'content-type'],
        allowCredentials: false,
        maxAge: Duration.days(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const entry of props.routes) {
      const fn = props.functions.get(entry.module, { method: entry.method });
      const [route] = this.api.addRoutes({
        path: entry.path,
        methods: [apigw.HttpMethod[entry.method]],
        integration: new HttpLambdaIntegration(`Integration-${entry.module}`, fn.handler),
        ...(entry.auth === 'public' ? {} : { authorizer }),
      });
      this.routes.set(routeKey(entry), route!);
      if (entry.auth === 'public') {
        acknowledge(
          route!,
          'AwsSolutions-APIG4',
          'A public route of the manifest (auth: public): health, contract, catalogue and certificate verification are open by design; the stage throttles them.',
        );
      }
      if (isThrottledPublicRoute(entry)) {
        routeSettings[routeKey(entry)] = { ThrottlingRateLimit: VERIFY_THROTTLE.rateLimit, ThrottlingBurstLimit: VERIFY_THROTTLE.burstLimit };
        // A route setting names a route key: the route must exist before the stage refers to it.
        this.stage.node.addDependency(route!);
      }
    }
    if (Object.keys(routeSettings).length > 0) (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;

    // Not the public address: behind CloudFront (production) this one refuses every request without the origin secret.
    new CfnOutput(this, 'OriginUrlNotPublic', {
      value: this.stage.url,
      description: "CloudFront's origin, not for the public: a production stage answers only requests through the distribution (Web/Url)",
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });
  }
}
