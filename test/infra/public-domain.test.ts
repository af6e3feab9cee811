import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/paths.js';
import { productionContacts, publicDomain } from '../../infra/ledger-app.js';
import { pageHtml } from '../../web/build.js';
import { pages } from '../../web/site.js';
import { DEVELOPMENT_MARK } from '../../functions/shared/stage.js';
import { logicalIdOf, SYNTH_TIMEOUT, synthesize } from './support.js';

/** The resource counts the README states ("Read as an operator would"), kept true by the two syntheses below. */
function readmeResourceCounts() {
  const m = /(\d+) resources in a production stage \((\d+) in development/.exec(readFileSync(join(projectRoot, 'README.md'), 'utf8'));
  if (!m) throw new Error('the README no longer states the resource counts');
  return { production: Number(m[1]), development: Number(m[2]) };
}

const CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';

describe('the public address (issue 18)', () => {
  it('a production stage refuses to synthesise without its own domain and us-east-1 certificate', () => {
    expect(() => publicDomain('production', undefined, undefined)).toThrow(/production stage needs context ledger:domainName and ledger:certificateArn/);
    expect(() => publicDomain('production', 'registre.example.gouv.fr', undefined)).toThrow(/go together/);
    expect(() => publicDomain('production', 'registre.example.gouv.fr', CERTIFICATE.replace('us-east-1', 'eu-west-3'))).toThrow(/us-east-1/);
    expect(() => publicDomain('staging', undefined, undefined)).toThrow(/ledger:stage/);
    expect(publicDomain('development', undefined, undefined)).toBeUndefined();
    expect(() => synthesize({ context: { 'ledger:stage': 'production' }, stack: { web: true } })).toThrow(/ledger:domainName/);
  });

  it('a production stage refuses to synthesise without someone to receive its alarms and an SES sender for its invitations', () => {
    expect(() => productionContacts('production', undefined, 'registre.example.gouv.fr')).toThrow(/ledger:alarmEmail/);
    expect(() => productionContacts('production', 'exploitation@example.gouv.fr', undefined)).toThrow(/ledger:sesIdentity/);
    expect(() => productionContacts('production', undefined, undefined)).toThrow(/ledger:alarmEmail .* and ledger:sesIdentity/);
    expect(() => productionContacts('production', 'exploitation@example.gouv.fr', 'registre.example.gouv.fr')).not.toThrow();
    expect(() => productionContacts('development', undefined, undefined)).not.toThrow();
    // Validated at synth, whatever the stage: a mistyped address would be a subscription nobody confirms.
    expect(() => productionContacts('production', 'exploitation.example.gouv.fr', 'registre.example.gouv.fr')).toThrow(/ledger:alarmEmail must be an email address/);
    expect(() => productionContacts('development', 'exploitation@', undefined)).toThrow(/must be an email address/);
    expect(() => productionContacts('production', 'exploitation@example.gouv.fr', 'registre.example.gouv.fr')).not.toThrow();
  });

  it(
    'with a domain, CloudFront answers to it with its certificate (TLS 1.2), and the QR codes and sign-in use it',
    () => {
      const { stack, resources, template } = synthesize({
        context: {
          'ledger:stage': 'production',
          'ledger:domainName': 'registre.example.gouv.fr',
          'ledger:certificateArn': CERTIFICATE,
          'ledger:webAclArn': 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/certification-ledger/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
          'ledger:alarmEmail': 'exploitation@example.gouv.fr',
          'ledger:sesIdentity': 'registre.example.gouv.fr',
        },
      });
      expect(Object.keys(resources).length, 'the README states it').toBe(readmeResourceCounts().production);
      const config = resources[logicalIdOf(stack, stack.web!.distribution)]!.Properties.DistributionConfig;
      expect(config.Aliases).toEqual(['registre.example.gouv.fr']);
      expect(config.ViewerCertificate).toMatchObject({ AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
      const fn = resources[logicalIdOf(stack, stack.functions.get('certificates/verify-certificate').handler)]!;
      expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe('https://registre.example.gouv.fr');
      expect(fn.Properties.Environment.Variables.LEDGER_STAGE).toBe('production');
      expect(stack.web!.stage).toBe('production');
      const client = resources[logicalIdOf(stack, stack.web!.client)]!;
      expect(client.Properties.CallbackURLs).toEqual(['https://registre.example.gouv.fr/connexion']);
      // What the domain's DNS must point at after the deploy (README, "Deploy to AWS").
      const outputs = Object.values(template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>);
      const target = outputs.find((o) => JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack, stack.web!.distribution), 'DomainName'] }));
      expect(target?.Description).toBe('Point registre.example.gouv.fr at it: a CNAME, or an alias A/AAAA record in Route 53');
    },
    SYNTH_TIMEOUT,
  );
});

describe('a development stage is marked (issue 18)', () => {
  it(
    'without ledger:stage the stack is a development stage on the CloudFront address: every function issues specimens, the pages carry the banner',
    () => {
      const { stack, resources } = synthesize({});
      expect(Object.keys(resources).length, 'the README states it').toBe(readmeResourceCounts().development);
      expect(stack.stage).toBe('development');
      expect(stack.web!.stage).toBe('development');
      const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').startsWith('certification-ledger '));
      expect(functions.length).toBeGreaterThan(20);
      for (const fn of functions) expect(fn.Properties.Environment.Variables.LEDGER_STAGE).toBe('development');
      const verify = resources[logicalIdOf(stack, stack.functions.get('certificates/verify-certificate').handler)]!;
      expect(JSON.stringify(verify.Properties.Environment.Variables.PUBLIC_BASE_URL)).toContain(logicalIdOf(stack, stack.web!.distribution));
    },
    SYNTH_TIMEOUT,
  );

  it('every page of a development stage shows the specimen banner in its HTML (no script needed); a production page has none', () => {
    for (const page of pages) {
      const html = pageHtml(page, undefined, 'development');
      expect(html).toMatch(/<body>\s*<a class="skip-link"[^>]*>[^<]*<\/a>\s*<p class="stage-banner" role="note">/);
      expect(html).toContain(DEVELOPMENT_MARK);
      expect(pageHtml(page, undefined, 'production')).not.toContain('stage-banner');
      expect(pageHtml(page)).not.toContain('stage-banner');
    }
  });
});
