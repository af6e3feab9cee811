import { SecretValue, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { z } from 'zod';
import { FEDERATED_PROVIDERS, type FederatedProvider } from '../../functions/accounts/federated-sign-in.js';
import type { RelayProviders } from '../../functions/accounts/oidc-relay.js';
import type { LedgerFunction, LedgerFunctions } from './ledger-functions.js';
import { ContextRefusal } from '../context-refusal.js';

/** The pre sign-up trigger's module (functions/accounts/link-federated-sign-in.ts). */
export const PRE_SIGN_UP_MODULE = 'accounts/link-federated-sign-in';
/** What the trigger calls on the pool. */
export const LINK_ACTIONS = ['cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminLinkProviderForUser'] as const;
/** The OIDC relay's module (functions/accounts/oidc-relay.ts), which Cognito calls instead of the providers' endpoints. */
export const OIDC_RELAY_MODULE = 'accounts/oidc-relay';

/**
 * An OIDC provider from the context (`ledger:franceConnect`, `ledger:proConnect`): its issuer, the client the
 * service registered for the ledger, and the Secrets Manager secret holding that client's secret (never in cdk.json).
 */
export const OidcProviderContext = z.object({
  issuerUrl: z.url().refine((u) => u.startsWith('https://'), 'must be https'),
  clientId: z.string().min(1),
  clientSecretName: z.string().min(1),
  /** @default the provider's (PROVIDER_PROFILES) */
  scopes: z.array(z.string().min(1)).optional(),
  /** The level of assurance asked (`acr_values`, added by the relay). @default the provider's (PROVIDER_PROFILES): eidas1 for FranceConnect, none for ProConnect */
  acrValues: z.string().min(1).optional(),
  /** Where Cognito reads the provider's signing keys. @default `<issuerUrl>/jwks`, as FranceConnect v2 and ProConnect publish them */
  jwksUri: z
    .url()
    .refine((u) => u.startsWith('https://'), 'must be https')
    .optional(),
});
export type OidcProviderContext = z.infer<typeof OidcProviderContext>;

/** Reads a provider's context value (an object, or its JSON as `-c` gives it); an error names the key. */
export function oidcProviderContext(key: string, value: unknown): OidcProviderContext | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ContextRefusal(`${key} must be JSON: {"issuerUrl", "clientId", "clientSecretName"}`);
    }
  }
  const result = OidcProviderContext.safeParse(parsed);
  if (!result.success) throw new ContextRefusal(`${key}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return result.data;
}

/**
 * What the pool asks each provider and where it keeps the answers. FranceConnect's scopes are its claims
 * (`given_name`, `family_name`, `birthdate`, `email`: docs.partenaires.franceconnect.gouv.fr, "Données
 * disponibles"); ProConnect names the family name `usual_name`. Cognito writes a mapped attribute at every federated
 * sign-in and refuses the sign-in when the app client may not write it (UserPoolClientType.WriteAttributes, Cognito
 * API reference): the pages' client gets exactly these (`mappedAttributes`). The ledger reads none of them (a
 * person's name and birth date live in the PersonVault); the email, with `email_verified`, is what the pre sign-up
 * trigger links on.
 */
export const PROVIDER_PROFILES = {
  FranceConnect: {
    scopes: ['openid', 'given_name', 'family_name', 'birthdate', 'email'],
    // FranceConnect v2 requires it (docs.partenaires.franceconnect.gouv.fr): eIDAS low, what a candidate's sign-in needs.
    acrValues: 'eidas1' as string | undefined,
    mapping: {
      email: cognito.ProviderAttribute.other('email'),
      emailVerified: cognito.ProviderAttribute.other('email_verified'),
      givenName: cognito.ProviderAttribute.other('given_name'),
      familyName: cognito.ProviderAttribute.other('family_name'),
      birthdate: cognito.ProviderAttribute.other('birthdate'),
    },
  },
  ProConnect: {
    scopes: ['openid', 'email', 'given_name', 'usual_name'],
    // Optional at ProConnect (eidas1 when absent): sent only when the context asks for more.
    acrValues: undefined as string | undefined,
    mapping: {
      email: cognito.ProviderAttribute.other('email'),
      emailVerified: cognito.ProviderAttribute.other('email_verified'),
      givenName: cognito.ProviderAttribute.other('given_name'),
      familyName: cognito.ProviderAttribute.other('usual_name'),
    },
  },
} as const satisfies Record<FederatedProvider, { scopes: readonly string[]; acrValues: string | undefined; mapping: cognito.AttributeMapping }>;

/** `registre@exemple.gouv.fr` or a domain `exemple.gouv.fr` (then from no-reply@ it). */
export const senderOf = (identity: string) => (identity.includes('@') ? identity : `no-reply@${identity}`);

export interface LedgerSignInProps {
  userPool: cognito.UserPool;
  functions: LedgerFunctions;
  /** The SES identity (verified domain or address) Cognito sends its emails from. @default Cognito's own sender (50 a day) */
  sesIdentity?: string;
  providers?: Partial<Record<FederatedProvider, OidcProviderContext>>;
}

/**
 * How people sign in, beside the password: Cognito's emails (the French invitation and code, infra/constructs/
 * ledger-http-api.ts) sent through SES from the ledger's identity; FranceConnect and ProConnect as OIDC identity
 * providers; and the pre sign-up trigger that links such a first sign-in to the account the ledger invited
 * (functions/accounts/link-federated-sign-in.ts). Each part only when its context is given.
 */
export class LedgerSignIn extends Construct {
  readonly providers = new Map<FederatedProvider, cognito.UserPoolIdentityProviderOidc>();
  readonly preSignUp?: LedgerFunction;
  /** The OIDC relay and its function URL, when a provider is configured. */
  readonly relay?: { fn: LedgerFunction; url: lambda.FunctionUrl };

  constructor(scope: Construct, id: string, props: LedgerSignInProps) {
    super(scope, id);
    const { userPool } = props;
    if (props.sesIdentity) {
      // Cognito's default sender sends 50 emails a day, in its own name: the invitations would not all arrive.
      (userPool.node.defaultChild as cognito.CfnUserPool).emailConfiguration = {
        emailSendingAccount: 'DEVELOPER',
        from: `Registre des titres professionnels <${senderOf(props.sesIdentity)}>`,
        sourceArn: Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.sesIdentity }),
      };
    }
    const configured = (Object.entries(props.providers ?? {}) as [FederatedProvider, OidcProviderContext | undefined][]).filter(
      (entry): entry is [FederatedProvider, OidcProviderContext] => entry[1] !== undefined,
    );
    if (configured.length > 0) {
      // Cognito cannot send FranceConnect v2's acr_values nor read a signed userinfo (README, "Sign-in"): it calls this
      // relay instead. A function URL rather than an API route: the function, its role, the URL and its two permissions
      // (five resources, its logs in the routes' group), as many as a route, and nothing in the ledger's HTTP contract.
      // Its grants: its logs only (infra/function-access.ts).
      const fn = props.functions.get(OIDC_RELAY_MODULE, { bare: true, routeLogs: true });
      const relayProviders: RelayProviders = Object.fromEntries(
        configured.map(([name, config]) => {
          const acrValues = config.acrValues ?? PROVIDER_PROFILES[name].acrValues;
          return [name, { issuer: config.issuerUrl, clientId: config.clientId, ...(acrValues ? { acrValues } : {}) }];
        }),
      );
      fn.handler.addEnvironment('OIDC_RELAY_PROVIDERS', JSON.stringify(relayProviders));
      // Public, as an OAuth endpoint is: Cognito's servers call /token and /userinfo, the person's browser /authorize.
      const url = fn.handler.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      this.relay = { fn, url };
    }
    for (const [name, config] of configured) {
      const profile = PROVIDER_PROFILES[name];
      const relay = this.relay!.url.url;
      const provider = new cognito.UserPoolIdentityProviderOidc(this, name, {
        userPool,
        name,
        // The provider's real issuer: Cognito compares the id_token's iss with it. The endpoints are given, so Cognito
        // does not read them from the issuer's discovery: authorisation, token and userinfo through the relay (its URL
        // ends with a slash), the signing keys from the provider itself, which signs the id_token Cognito checks.
        issuerUrl: config.issuerUrl,
        endpoints: {
          authorization: `${relay}${name}/authorize`,
          token: `${relay}${name}/token`,
          userInfo: `${relay}${name}/userinfo`,
          jwksUri: config.jwksUri ?? `${config.issuerUrl.replace(/\/$/, '')}/jwks`,
        },
        clientId: config.clientId,
        // A dynamic reference: resolved by CloudFormation at deployment, never written into the template.
        clientSecret: SecretValue.secretsManager(config.clientSecretName).unsafeUnwrap(),
        scopes: config.scopes ?? [...profile.scopes],
        attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
        attributeMapping: profile.mapping,
      });
      this.providers.set(name, provider);
    }
    if (this.providers.size > 0) {
      // The pool names the trigger and the trigger's grants name the pool: the grants go to a policy of their own (not
      // the role's inline one), and the function is given no environment (its event names the pool), so there is no cycle.
      const fn = props.functions.get(PRE_SIGN_UP_MODULE, { bare: true });
      userPool.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn.handler);
      new iam.Policy(this, 'LinkPolicy', {
        roles: [fn.role],
        statements: [new iam.PolicyStatement({ actions: [...LINK_ACTIONS], resources: [userPool.userPoolArn] })],
      });
      this.preSignUp = fn;
    }
  }

  /**
   * The standard attributes the pages' client may write: the API client's, and every one a configured provider maps
   * (Cognito refuses a federated sign-in whose mapped attribute the client cannot write). The client has no
   * `aws.cognito.signin.user.admin` scope and no InitiateAuth flow but refresh (infra/constructs/ledger-web.ts), so its
   * users cannot write them themselves; and a changed email stays unused until verified (the pool's keepOriginal).
   */
  clientWriteAttributes(): cognito.ClientAttributes {
    const mapped = new Set<keyof cognito.StandardAttributesMask>(['givenName', 'familyName']);
    for (const name of this.providers.keys()) for (const key of Object.keys(PROVIDER_PROFILES[name].mapping)) mapped.add(key as keyof cognito.StandardAttributesMask);
    return new cognito.ClientAttributes().withStandardAttributes(Object.fromEntries([...mapped].map((k) => [k, true])));
  }

  /** The identity providers an app client offers: Cognito's own and the federated ones. */
  clientProviders(): cognito.UserPoolClientIdentityProvider[] {
    return [cognito.UserPoolClientIdentityProvider.COGNITO, ...[...this.providers.keys()].map((name) => cognito.UserPoolClientIdentityProvider.custom(name))];
  }
}

/** Which role each provider signs in (for the README and the tests). */
export const PROVIDER_ROLES = FEDERATED_PROVIDERS;
