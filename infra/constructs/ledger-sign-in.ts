import { SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { z } from 'zod';
import { FEDERATED_PROVIDERS, type FederatedProvider } from '../../functions/accounts/federated-sign-in.js';
import type { LedgerFunction, LedgerFunctions } from './ledger-functions.js';

/** The pre sign-up trigger's module (functions/accounts/link-federated-sign-in.ts). */
export const PRE_SIGN_UP_MODULE = 'accounts/link-federated-sign-in';
/** What the trigger calls on the pool. */
export const LINK_ACTIONS = ['cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:AdminLinkProviderForUser'] as const;

/**
 * An OIDC provider from the context (`ledger:franceConnect`, `ledger:proConnect`): its issuer, the client the
 * service registered for the ledger, and the Secrets Manager secret holding that client's secret (never in cdk.json).
 */
export const OidcProviderContext = z.object({
  issuerUrl: z.url().refine((u) => u.startsWith('https://'), 'must be https'),
  clientId: z.string().min(1),
  clientSecretName: z.string().min(1),
  /** @default openid email given_name family_name */
  scopes: z.array(z.string().min(1)).optional(),
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
      throw new Error(`${key} must be JSON: {"issuerUrl", "clientId", "clientSecretName"}`);
    }
  }
  const result = OidcProviderContext.safeParse(parsed);
  if (!result.success) throw new Error(`${key}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return result.data;
}

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
    for (const [name, config] of Object.entries(props.providers ?? {}) as [FederatedProvider, OidcProviderContext | undefined][]) {
      if (!config) continue;
      const provider = new cognito.UserPoolIdentityProviderOidc(this, name, {
        userPool,
        name,
        issuerUrl: config.issuerUrl,
        clientId: config.clientId,
        // A dynamic reference: resolved by CloudFormation at deployment, never written into the template.
        clientSecret: SecretValue.secretsManager(config.clientSecretName).unsafeUnwrap(),
        scopes: config.scopes ?? ['openid', 'email', 'given_name', 'family_name'],
        attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
        attributeMapping: {
          email: cognito.ProviderAttribute.other('email'),
          emailVerified: cognito.ProviderAttribute.other('email_verified'),
          givenName: cognito.ProviderAttribute.other('given_name'),
          familyName: cognito.ProviderAttribute.other('family_name'),
        },
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

  /** The identity providers an app client offers: Cognito's own and the federated ones. */
  clientProviders(): cognito.UserPoolClientIdentityProvider[] {
    return [cognito.UserPoolClientIdentityProvider.COGNITO, ...[...this.providers.keys()].map((name) => cognito.UserPoolClientIdentityProvider.custom(name))];
  }
}

/** Which role each provider signs in (for the README and the tests). */
export const PROVIDER_ROLES = FEDERATED_PROVIDERS;
