import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { LINK_ACTIONS, OIDC_RELAY_MODULE, oidcProviderContext, PRE_SIGN_UP_MODULE, PROVIDER_PROFILES, senderOf } from '../../infra/constructs/ledger-sign-in.js';
import { RelayProviders } from '../../functions/accounts/oidc-relay.js';
import { USER_INVITATION, USER_VERIFICATION } from '../../infra/constructs/ledger-http-api.js';
import { readFileSync } from 'node:fs';
import { COGNITO_PLAN, type CognitoPrices, yearlySignInCost } from '../bench/sign-in-cost.js';
import { actionsOf, type CfnResourceJson, identityPolicies, logicalIdOf, statementsOfRole, SYNTH_TIMEOUT, synthesize } from './support.js';

const FRANCE_CONNECT = { issuerUrl: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2', clientId: 'fc-client', clientSecretName: 'ledger/franceconnect' };
const PRO_CONNECT = {
  issuerUrl: 'https://fca.integ01.dev-agentconnect.fr/api/v2',
  clientId: 'pc-client',
  clientSecretName: 'ledger/proconnect',
  acrValues: 'eidas2',
  jwksUri: 'https://fca.integ01.dev-agentconnect.fr/api/v2/jwks-other',
};

let stack: LedgerStack;
let resources: Record<string, CfnResourceJson>;

beforeAll(() => {
  ({ stack, resources } = synthesize({
    context: { 'ledger:sesIdentity': 'registre.example.gouv.fr', 'ledger:franceConnect': JSON.stringify(FRANCE_CONNECT), 'ledger:proConnect': PRO_CONNECT },
  }));
}, SYNTH_TIMEOUT);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const pool = () => resources[logicalIdOf(stack, stack.http.userPool)]!;

describe('sign-in (issue 18)', () => {
  it('Cognito emails through SES from the ledger’s identity, with the French invitation and code', () => {
    expect(pool().Properties.EmailConfiguration).toEqual({
      EmailSendingAccount: 'DEVELOPER',
      From: 'Registre des titres professionnels <no-reply@registre.example.gouv.fr>',
      SourceArn: { 'Fn::Join': ['', ['arn:aws:ses:eu-west-3:', { Ref: 'AWS::AccountId' }, ':identity/registre.example.gouv.fr']] },
    });
    expect(pool().Properties.AdminCreateUserConfig.InviteMessageTemplate).toMatchObject({ EmailSubject: USER_INVITATION.emailSubject });
    expect(pool().Properties.VerificationMessageTemplate).toMatchObject({ EmailSubject: USER_VERIFICATION.emailSubject, DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(senderOf('registre@example.gouv.fr')).toBe('registre@example.gouv.fr');
  });

  it('FranceConnect and ProConnect are OIDC providers of the pool, their client secrets read from Secrets Manager at deployment', () => {
    const providers = ofType('AWS::Cognito::UserPoolIdentityProvider').map(([, r]) => r.Properties);
    expect(providers.map((p) => p.ProviderName).sort()).toEqual(['FranceConnect', 'ProConnect']);
    for (const [p, config] of [
      [providers.find((p) => p.ProviderName === 'FranceConnect')!, FRANCE_CONNECT],
      [providers.find((p) => p.ProviderName === 'ProConnect')!, PRO_CONNECT],
    ] as const) {
      expect(p.ProviderType).toBe('OIDC');
      expect(p.UserPoolId).toEqual({ Ref: logicalIdOf(stack, stack.http.userPool) });
      expect(p.ProviderDetails).toMatchObject({ client_id: config.clientId, oidc_issuer: config.issuerUrl, attributes_request_method: 'GET' });
      expect(p.ProviderDetails.client_secret).toBe(`{{resolve:secretsmanager:${config.clientSecretName}:SecretString:::}}`);
      expect(p.AttributeMapping).toMatchObject({ email: 'email', email_verified: 'email_verified', given_name: 'given_name' });
    }
    const fc = providers.find((p) => p.ProviderName === 'FranceConnect')!;
    // FranceConnect v2's claims, each its own scope; the person's identity mapped to the pool's standard attributes.
    expect(fc.ProviderDetails.authorize_scopes).toBe('openid given_name family_name birthdate email');
    expect(fc.AttributeMapping).toEqual({ email: 'email', email_verified: 'email_verified', given_name: 'given_name', family_name: 'family_name', birthdate: 'birthdate' });
    // ProConnect names the family name usual_name.
    const pc = providers.find((p) => p.ProviderName === 'ProConnect')!;
    expect(pc.ProviderDetails.authorize_scopes).toBe('openid email given_name usual_name');
    expect(pc.AttributeMapping).toMatchObject({ family_name: 'usual_name' });
    // Not configurable on a Cognito OIDC provider (CreateIdentityProvider's ProviderDetails keys): acr_values, which
    // the relay adds (README).
    expect(Object.keys(fc.ProviderDetails).some((k) => /acr/.test(k))).toBe(false);

    const client = resources[logicalIdOf(stack, stack.web!.client)]!;
    expect(client.Properties.SupportedIdentityProviders).toEqual(['COGNITO', 'FranceConnect', 'ProConnect']);
    // Cognito refuses a federated sign-in whose mapped attribute the client may not write: it may write each one.
    const mapped = new Set([...providers.flatMap((p) => Object.keys(p.AttributeMapping))]);
    for (const attribute of mapped) expect(client.Properties.WriteAttributes, attribute).toContain(attribute);
    // ...and cannot let its users write them (no aws.cognito.signin.user.admin scope).
    expect(client.Properties.AllowedOAuthScopes).toEqual(['openid', 'email']);
    // ...the password sign-in by SRP (the hosted pages follow the client's flows) and the refresh token, no custom auth.
    expect(client.Properties.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
    // An email written anyway (the mapping's, an administrator's) is not used, nor linked on, before it is verified.
    expect(pool().Properties.UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
    expect(pool().Properties.AutoVerifiedAttributes).toEqual(['email']);
    expect(Object.keys(PROVIDER_PROFILES).sort()).toEqual(['FranceConnect', 'ProConnect']);
  });

  it('Cognito calls the OIDC relay’s function URL for authorisation, token and userinfo; the keys and the issuer stay the provider’s', () => {
    const relay = stack.signIn.relay!;
    const urlId = logicalIdOf(stack, relay.url);
    const relayUrl = { 'Fn::GetAtt': [urlId, 'FunctionUrl'] };
    const providers = ofType('AWS::Cognito::UserPoolIdentityProvider').map(([, r]) => r.Properties);
    for (const [name, config, jwks] of [
      ['FranceConnect', FRANCE_CONNECT, `${FRANCE_CONNECT.issuerUrl}/jwks`],
      ['ProConnect', PRO_CONNECT, PRO_CONNECT.jwksUri],
    ] as const) {
      const details = providers.find((p) => p.ProviderName === name)!.ProviderDetails;
      expect(details.oidc_issuer).toBe(config.issuerUrl);
      for (const [key, endpoint] of [
        ['authorize_url', 'authorize'],
        ['token_url', 'token'],
        ['attributes_url', 'userinfo'],
      ] as const) {
        expect(details[key], key).toEqual({ 'Fn::Join': ['', [relayUrl, `${name}/${endpoint}`]] });
      }
      expect(details.jwks_uri).toBe(jwks);
    }
    // A public function URL (an OAuth endpoint), the relay's only way in.
    const url = resources[urlId]!.Properties;
    expect(url).toMatchObject({ AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [logicalIdOf(stack, relay.fn.handler), 'Arn'] } });
    expect(url.Cors).toBeUndefined();
    // Its configuration: issuers, client ids and acr_values, no secret (the client secret stays in Cognito).
    const variables = resources[logicalIdOf(stack, relay.fn.handler)]!.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(['NODE_OPTIONS', 'OIDC_RELAY_PROVIDERS']);
    expect(RelayProviders.parse(JSON.parse(variables.OIDC_RELAY_PROVIDERS))).toEqual({
      FranceConnect: { issuer: FRANCE_CONNECT.issuerUrl, clientId: FRANCE_CONNECT.clientId, acrValues: 'eidas1' },
      ProConnect: { issuer: PRO_CONNECT.issuerUrl, clientId: PRO_CONNECT.clientId, acrValues: 'eidas2' },
    });
    expect(variables.OIDC_RELAY_PROVIDERS).not.toMatch(/secret/i);
    expect(stack.functions.all().get(OIDC_RELAY_MODULE)).toBe(relay.fn);
  });

  it('the relay costs five resources of the 500 a stack may hold: function, role, URL and its two permissions (logs in the routes’ group)', () => {
    const relay = Object.entries(resources).filter(([id]) => id.includes('OidcRelay'));
    expect(relay.map(([, r]) => r.Type).sort()).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Lambda::Permission', 'AWS::Lambda::Permission', 'AWS::Lambda::Url']);
    const handler = resources[logicalIdOf(stack, stack.signIn.relay!.fn.handler)]!;
    expect(JSON.stringify(handler.Properties.LoggingConfig)).toContain('FunctionsRouteLogs');
  });

  it('the relay is granted nothing beyond its logs', () => {
    const roleId = logicalIdOf(stack, stack.signIn.relay!.fn.role);
    const actions = actionsOf(statementsOfRole(resources, roleId));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => !a.startsWith('logs:'))).toEqual([]);
    // No separate policy either, and no managed one.
    expect(ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId))).toEqual([]);
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('/config.json names the configured providers, so /connexion shows their buttons', () => {
    const config = stack.web!.pagesConfig('production', stack.signIn);
    expect(config.providers).toEqual(['FranceConnect', 'ProConnect']);
    expect(config.mode).toBe('aws');
  });

  it('the pre sign-up trigger links on this pool only, through a policy of its own, and gets no ledger environment', () => {
    const fn = stack.signIn.preSignUp!;
    expect(pool().Properties.LambdaConfig.PreSignUp).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, fn.handler), 'Arn'] });
    const roleId = logicalIdOf(stack, fn.role);
    const statements = statementsOfRole(resources, roleId);
    const cognito = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('cognito-idp:')));
    expect(actionsOf(cognito).sort()).toEqual([...LINK_ACTIONS].sort());
    for (const s of cognito) expect(s.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, stack.http.userPool), 'Arn'] });
    // Nothing else of the ledger: no table, key, bucket.
    expect(actionsOf(statements).filter((a) => !a.startsWith('cognito-idp:') && !a.startsWith('logs:'))).toEqual([]);
    expect(identityPolicies(resources).some((p) => p.roles.includes(roleId) && p.statements.some((s) => actionsOf([s]).includes('cognito-idp:AdminLinkProviderForUser')))).toBe(
      true,
    );
    expect(Object.keys(resources[logicalIdOf(stack, fn.handler)]!.Properties.Environment.Variables)).toEqual(['NODE_OPTIONS']);
    expect(stack.functions.all().get(PRE_SIGN_UP_MODULE)).toBe(fn);
  });

  it('the pool’s feature plan is the one the bench prices, and the README quotes the bench’s figures', () => {
    expect(pool().Properties.UserPoolTier).toBe(COGNITO_PLAN);
    const prices = JSON.parse(readFileSync(new URL('../bench/prices.json', import.meta.url), 'utf8')).cognito as CognitoPrices;
    // 212,000 candidates a year, each signing in in two months: 35,333 MAU a month, all through FranceConnect.
    const cost = yearlySignInCost(prices, { monthlyActiveUsers: (212_000 * 2) / 12, federatedShare: 1 });
    expect(Math.round(cost.plan)).toBe(8480);
    expect(Math.round(cost.federation)).toBe(6351);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('**Cognito feature plan: Plus**');
    for (const figure of ['$8,480', '$6,351', '$14,831']) expect(readme, figure).toContain(figure);
  });

  it('a provider’s context is checked: JSON, https issuer, client id and secret name', () => {
    expect(oidcProviderContext('ledger:franceConnect', undefined)).toBeUndefined();
    expect(() => oidcProviderContext('ledger:franceConnect', '{oops')).toThrow(/must be JSON/);
    expect(() => oidcProviderContext('ledger:proConnect', { ...PRO_CONNECT, issuerUrl: 'http://insecure.example' })).toThrow(/ledger:proConnect: issuerUrl/);
    expect(() => oidcProviderContext('ledger:proConnect', { issuerUrl: PRO_CONNECT.issuerUrl })).toThrow(/clientId/);
    expect(() => oidcProviderContext('ledger:proConnect', { ...PRO_CONNECT, jwksUri: 'http://insecure.example/jwks' })).toThrow(/ledger:proConnect: jwksUri/);
  });
});

describe('without sign-in context', () => {
  it(
    'Cognito’s default sender, no provider, no trigger (what the twin runs)',
    () => {
      const { stack, resources } = synthesize({ stack: { web: false } });
      const pool = resources[logicalIdOf(stack, stack.http.userPool)]!;
      expect(pool.Properties.EmailConfiguration).toBeUndefined();
      expect(pool.Properties.LambdaConfig).toBeUndefined();
      expect(Object.values(resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolIdentityProvider')).toEqual([]);
      expect(stack.signIn.relay).toBeUndefined();
      expect(Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Url')).toEqual([]);
    },
    SYNTH_TIMEOUT,
  );
});
