import { describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerApp } from '../../infra/ledger-app.js';
import type { LedgerStackProps } from '../../infra/stacks/ledger-stack.js';
import { extendedStack, SYNTH_TIMEOUT } from './support.js';

/**
 * cdk-nag's AwsSolutions pack, as `npm run synth` runs it (infra/ledger-app.ts). An unsuppressed error makes
 * synthesis throw with the violations listed; every suppression carries its reason.
 */
function check(stackProps: LedgerStackProps) {
  const { stack, edge } = ledgerApp({
    nag: true,
    stack: stackProps,
    outdir: mkdtempSync(join(tmpdir(), 'ledger-nag-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  let template: Template | undefined;
  expect(() => (template = Template.fromStack(stack))).not.toThrow();
  const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
  expect(errors.map((e) => `${e.id}: ${String(e.entry.data).split('\n')[0]}`)).toEqual([]);
  // The us-east-1 stack of the web ACL too.
  Template.fromStack(edge);
  expect(Annotations.fromStack(edge).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);

  // The monitoring nested stack's too: its findings are reported with the parent's (above), its suppressions are in its own template.
  const suppressions = [template!, Template.fromStack(stack.monitoring)].flatMap((t) =>
    Object.entries(t.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>).flatMap(([id, r]) =>
      (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s) => ({ resource: id, ...s })),
    ),
  );
  expect(suppressions.length).toBeGreaterThan(0);
  for (const s of suppressions) expect(s.reason.length, `${s.id} on ${s.resource}`).toBeGreaterThanOrEqual(40);
}

describe('cdk-nag AwsSolutions', () => {
  it('no unsuppressed error in the stack, and every suppression gives its reason', () => check({}), SYNTH_TIMEOUT);

  it(
    'checks the monitoring nested stack as well: a topic added there without encryption nor TLS is reported',
    () => {
      const { stack } = ledgerApp({ nag: true, stack: { web: false }, outdir: mkdtempSync(join(tmpdir(), 'ledger-nag-')), context: { 'aws:cdk:bundling-stacks': [] } });
      new sns.Topic(stack.monitoring, 'Unguarded');
      // Synthesis refuses it, as it would any unsuppressed finding of the parent stack.
      expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-SNS3[^\n]*\n\s*CertificationLedger\/Monitoring\/Unguarded\/Resource/);
    },
    SYNTH_TIMEOUT,
  );

  it('nor once workflows, a public verify route and every kind of grant are added', () => check(extendedStack), SYNTH_TIMEOUT);

  it(
    'nor in production: own domain, web ACL, SES sender, FranceConnect and ProConnect with the pre sign-up trigger (issue 18)',
    () =>
      check({
        stage: 'production',
        domain: { name: 'registre.example.gouv.fr', certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e' },
        webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/certification-ledger/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
        sesIdentity: 'registre.example.gouv.fr',
        identityProviders: {
          FranceConnect: { issuerUrl: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2', clientId: 'fc', clientSecretName: 'ledger/franceconnect' },
          ProConnect: { issuerUrl: 'https://fca.integ01.dev-agentconnect.fr/api/v2', clientId: 'pc', clientSecretName: 'ledger/proconnect' },
        },
      }),
    SYNTH_TIMEOUT,
  );
});
