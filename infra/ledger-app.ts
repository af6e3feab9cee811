import { App, Aspects, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerStage } from '../functions/shared/stage.js';
import { projectRoot } from './paths.js';
import { oidcProviderContext } from './constructs/ledger-sign-in.js';
import { isCloudFrontWebAclArn, LedgerEdgeStack } from './stacks/edge-stack.js';
import { z } from 'zod';
import type { LedgerKeysProps } from './constructs/ledger-keys.js';
import { checkAll, ContextRefusal } from './context-refusal.js';
import { LedgerStack, type LedgerStackProps } from './stacks/ledger-stack.js';

export const STACK_NAME = 'CertificationLedger';
/** The us-east-1 stack of the distribution's WAF web ACL (infra/stacks/edge-stack.ts). */
export const EDGE_STACK_NAME = 'CertificationLedgerEdge';

/** The context of cdk.json, so that tests and scripts synthesise what `cdk synth` does. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

export interface LedgerAppOptions extends AppProps {
  /** Run cdk-nag's AwsSolutions checks on synthesis. @default true */
  nag?: boolean;
  stack?: LedgerStackProps;
}

/**
 * The public address from the context. A production stage must have its own domain: the *.cloudfront.net name
 * of a distribution is printed in every certificate's QR code and credential, and would change with the
 * distribution. A development stage may go without (the distribution's own address).
 */
export function publicDomain(stage: string, name: string | undefined, certificateArn: string | undefined): { name: string; certificateArn: string } | undefined {
  if (stage !== 'production' && stage !== 'development') throw new ContextRefusal(`ledger:stage must be "production" or "development", not "${stage}"`);
  if (!name && !certificateArn) {
    if (stage === 'production') throw new ContextRefusal('a production stage needs context ledger:domainName and ledger:certificateArn (its ACM certificate in us-east-1)');
    return undefined;
  }
  if (!name || !certificateArn) throw new ContextRefusal('ledger:domainName and ledger:certificateArn go together');
  if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(name)) throw new ContextRefusal(`ledger:domainName is not a host name: ${name}`);
  if (!/^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn))
    throw new ContextRefusal('ledger:certificateArn must be an ACM certificate in us-east-1 (CloudFront takes no other region)');
  return { name, certificateArn };
}

/**
 * The distribution's web ACL from the context: a production stage must have one (deploy CertificationLedgerEdge, in
 * us-east-1, first); a development stage may go without.
 */
export function webAcl(stage: LedgerStage, arn: string | undefined): string | undefined {
  if (!arn) {
    if (stage === 'production')
      throw new ContextRefusal(`a production stage needs context ledger:webAclArn: deploy ${EDGE_STACK_NAME} (us-east-1) first and give its output WebAclArn`);
    return undefined;
  }
  if (!isCloudFrontWebAclArn(arn)) throw new ContextRefusal(`ledger:webAclArn must be a CloudFront (global, us-east-1) WAFv2 web ACL ARN, not ${arn}`);
  return arn;
}

/**
 * Who hears from a production stage: the alarms' email (an SNS topic nobody is subscribed to wakes nobody) and the SES
 * identity Cognito sends from (its own sender stops at 50 emails a day, so invitations would be lost). A development
 * stage may go without either.
 */
export function productionContacts(stage: LedgerStage, alarmEmail: string | undefined, sesIdentity: string | undefined) {
  // A mistyped address is a subscription nobody confirms: the alarms would wake nobody, whatever the stage.
  if (alarmEmail !== undefined && !z.email().safeParse(alarmEmail).success) throw new ContextRefusal(`ledger:alarmEmail must be an email address, not "${alarmEmail}"`);
  if (stage !== 'production') return;
  const missing = [!alarmEmail && 'ledger:alarmEmail (who receives the alarms)', !sesIdentity && 'ledger:sesIdentity (the SES identity Cognito sends its emails from)'].filter(
    Boolean,
  );
  if (missing.length) throw new ContextRefusal(`a production stage needs context ${missing.join(' and ')}`);
}

const RetiredSigningKeys = z.array(
  z.strictObject({
    keyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, 'a KMS key ARN'),
    validFrom: z.iso.datetime().optional(),
    validUntil: z.iso.datetime(),
  }),
);

/**
 * The signing keys from the context: `ledger:signingKeyGeneration` (a rotation raises it: a new key) and
 * `ledger:retiredSigningKeys`, the keys it replaced (a JSON list of {keyArn, validFrom?, validUntil}, on the command
 * line as a string), which the JWKS keeps listing so the certificates they signed still verify.
 */
export function signingKeysOf(generation: unknown, retired: unknown): LedgerKeysProps {
  let given: unknown = retired ?? [];
  if (typeof retired === 'string') {
    try {
      given = JSON.parse(retired);
    } catch {
      throw new ContextRefusal('ledger:retiredSigningKeys must be JSON: a list of {"keyArn", "validFrom"?, "validUntil"}');
    }
  }
  const list = RetiredSigningKeys.safeParse(given);
  if (!list.success) throw new ContextRefusal(`ledger:retiredSigningKeys: ${z.prettifyError(list.error)}`);
  const n = generation === undefined ? 1 : Number(generation);
  if (!Number.isInteger(n) || n < 1) throw new ContextRefusal(`ledger:signingKeyGeneration must be a positive integer, not ${String(generation)}`);
  if (n === 1 && list.data.length) throw new ContextRefusal('ledger:retiredSigningKeys lists keys a rotation replaced: raise ledger:signingKeyGeneration with them');
  return { signingGeneration: n, retiredSigning: list.data };
}

/** The CDK app: the ledger's stack, in the region of the `ledger:region` context (no lookups, so synthesis is offline). */
export function ledgerApp(options: LedgerAppOptions = {}) {
  const { nag = true, stack: stackProps = {}, ...appProps } = options;
  const app = new App({ ...appProps, context: { ...cdkJsonContext(), ...appProps.context } });
  const context = (key: string) => app.node.tryGetContext(key) as string | undefined;
  const alarmEmail = context('ledger:alarmEmail');
  const sesIdentity = context('ledger:sesIdentity');
  const publicBaseUrl = context('ledger:publicBaseUrl');
  const stage = (context('ledger:stage') ?? 'development') as LedgerStage;
  const [domain, webAclArn, , franceConnect, proConnect, signingKeys] = checkAll(
    () => publicDomain(stage, context('ledger:domainName'), context('ledger:certificateArn')),
    () => webAcl(stage, context('ledger:webAclArn')),
    () => productionContacts(stage, alarmEmail, sesIdentity),
    () => oidcProviderContext('ledger:franceConnect', app.node.tryGetContext('ledger:franceConnect')),
    () => oidcProviderContext('ledger:proConnect', app.node.tryGetContext('ledger:proConnect')),
    () => signingKeysOf(app.node.tryGetContext('ledger:signingKeyGeneration'), app.node.tryGetContext('ledger:retiredSigningKeys')),
  );
  const stack = new LedgerStack(app, STACK_NAME, {
    description: 'certification-ledger: event-sourced ledger of titres professionnels (DESIGN.md)',
    // Account-agnostic (resolved at deploy time), so the template is the same on every machine.
    env: { region: context('ledger:region') ?? 'eu-west-3' },
    // About 830 KB indented, near CloudFormation's 1 MB template limit: no indentation leaves room (README, Deploy).
    suppressTemplateIndentation: true,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(sesIdentity ? { sesIdentity } : {}),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(domain ? { domain } : {}),
    stage,
    ...(webAclArn ? { webAclArn } : {}),
    ...(franceConnect || proConnect
      ? { identityProviders: { ...(franceConnect ? { FranceConnect: franceConnect } : {}), ...(proConnect ? { ProConnect: proConnect } : {}) } }
      : {}),
    signingKeys,
    ...stackProps,
  });
  const edge = new LedgerEdgeStack(app, EDGE_STACK_NAME, {
    description: 'certification-ledger: the WAF web ACL of its CloudFront distribution (us-east-1)',
    env: { region: 'us-east-1' },
  });
  if (nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack, edge };
}
