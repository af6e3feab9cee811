import { App, Aspects, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.js';
import { LedgerStack, type LedgerStackProps } from './stacks/ledger-stack.js';

export const STACK_NAME = 'CertificationLedger';

/** The context of cdk.json, so that tests and scripts synthesise what `cdk synth` does. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

export interface LedgerAppOptions extends AppProps {
  /** Run cdk-nag's AwsSolutions checks on synthesis. @default true */
  nag?: boolean;
  stack?: LedgerStackProps;
}

/** The CDK app: one stack, in the region of the `ledger:region` context (no lookups, so synthesis is offline). */
export function ledgerApp(options: LedgerAppOptions = {}) {
  const { nag = true, stack: stackProps = {}, ...appProps } = options;
  const app = new App({ ...appProps, context: { ...cdkJsonContext(), ...appProps.context } });
  const context = (key: string) => app.node.tryGetContext(key) as string | undefined;
  const alarmEmail = context('ledger:alarmEmail');
  const sesIdentity = context('ledger:sesIdentity');
  const publicBaseUrl = context('ledger:publicBaseUrl');
  const stack = new LedgerStack(app, STACK_NAME, {
    description: 'certification-ledger: event-sourced ledger of titres professionnels (DESIGN.md)',
    // Account-agnostic (resolved at deploy time), so the template is the same on every machine.
    env: { region: context('ledger:region') ?? 'eu-west-3' },
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(sesIdentity ? { sesIdentity } : {}),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...stackProps,
  });
  if (nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}
