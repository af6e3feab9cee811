import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { projectRoot } from '../../infra/paths.js';
import { type CfnResourceJson, logicalIdOf, type monitoringOf, SYNTH_TIMEOUT, synthesize } from './support.js';

/**
 * The alarms as a production stage deploys them (issue 18, build point 4), in the monitoring nested stack
 * (infra/stacks/monitoring-stack.ts): the fullest stack, with its pages and both identity providers, so that
 * every kind of function CDK or the ledger adds is there to be watched.
 */
const PRODUCTION = {
  'ledger:stage': 'production',
  'ledger:domainName': 'registre.example.gouv.fr',
  'ledger:certificateArn': 'arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
  'ledger:webAclArn': 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/certification-ledger/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
  'ledger:alarmEmail': 'exploitation@example.gouv.fr',
  'ledger:sesIdentity': 'registre.example.gouv.fr',
};
const PROVIDERS = {
  'ledger:franceConnect': { issuerUrl: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2', clientId: 'fc', clientSecretName: 'ledger/franceconnect' },
  'ledger:proConnect': { issuerUrl: 'https://fca.integ01.dev-agentconnect.fr/api/v2', clientId: 'pc', clientSecretName: 'ledger/proconnect' },
};

let stack: LedgerStack;
let resources: Record<string, CfnResourceJson>;
let monitoring: ReturnType<typeof monitoringOf>;
let outdir: string;

beforeAll(() => {
  const synthesized = synthesize({ context: { ...PRODUCTION, ...PROVIDERS } });
  ({ stack, resources, monitoring } = synthesized);
  outdir = synthesized.app.outdir;
}, SYNTH_TIMEOUT);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const nestedOfType = (type: string) => Object.entries(monitoring.resources).filter(([, r]) => r.Type === type);
const alarms = () => nestedOfType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

describe('alarms of a production stage (issue 18)', () => {
  it("every Lambda function, the pages' deployment, the OIDC relay and the pre sign-up trigger included, has an errors and a throttles alarm naming it", () => {
    const functions = ofType('AWS::Lambda::Function');
    const ids = new Set(functions.map(([id]) => id));
    for (const fn of [stack.signIn.relay!.fn.handler, stack.signIn.preSignUp!.handler]) expect(ids.has(logicalIdOf(stack, fn))).toBe(true);
    expect(functions.some(([id]) => id.startsWith('CustomCDKBucketDeployment'))).toBe(true);
    for (const [id] of functions) {
      const own = alarms().filter(
        (a) => a.Namespace === 'AWS/Lambda' && a.MetricName !== 'IteratorAge' && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: id } }]),
      );
      expect(own.map((a) => a.MetricName).sort(), id).toEqual(['Errors', 'Throttles']);
      for (const a of own) expect(a.AlarmName, id).toMatch(new RegExp(`^${stack.stackName}-${a.MetricName}-\\S+$`));
    }
  });

  it(
    'counts as the README says: two per function, two per state machine, one per change-feed consumer, and four more',
    () => {
      const expected = (of: Record<string, CfnResourceJson>) => {
        const count = (type: string) => Object.values(of).filter((r) => r.Type === type).length;
        // The change-feed consumers: the event source mappings on the events table's stream.
        const consumers = Object.values(of).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.EventSourceArn).includes('StreamArn')).length;
        return 2 * count('AWS::Lambda::Function') + 2 * count('AWS::StepFunctions::StateMachine') + consumers + 4;
      };
      expect(alarms()).toHaveLength(expected(resources));
      const stated = /(\d+) alarms in production with both identity providers, (\d+) without/.exec(readFileSync(join(projectRoot, 'README.md'), 'utf8'));
      expect(stated, 'the README states the alarm counts').not.toBeNull();
      expect(alarms().length).toBe(Number(stated![1]));
      const plain = synthesize({ context: PRODUCTION });
      expect(Object.values(plain.monitoring.resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')).toHaveLength(expected(plain.resources));
      expect(expected(plain.resources)).toBe(Number(stated![2]));
    },
    SYNTH_TIMEOUT,
  );

  it('every alarm notifies the one topic, which mails ledger:alarmEmail', () => {
    const [[topicId]] = nestedOfType('AWS::SNS::Topic') as [[string, CfnResourceJson]];
    for (const a of alarms()) expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicId }]);
    expect(nestedOfType('AWS::SNS::Subscription').map(([, s]) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'exploitation@example.gouv.fr', TopicArn: { Ref: topicId } },
    ]);
  });

  it('the nested template is an asset of the cloud assembly, which the parent stack deploys', () => {
    const nested = resources[monitoring.resourceId]!;
    expect(nested.Type).toBe('AWS::CloudFormation::Stack');
    const file = stack.monitoring.templateFile;
    expect(existsSync(join(outdir, file))).toBe(true);
    const assets = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    expect(Object.values(assets.files).map((f) => f.source.path)).toContain(file);
  });

  it('the parent stack holds no alarm, nor their topic, and stays under 460 resources with both identity providers', () => {
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::Logs::MetricFilter']) expect(ofType(type), type).toEqual([]);
    const count = Object.keys(resources).length;
    console.log(`production stage with both identity providers: ${count} resources, the monitoring nested stack ${Object.keys(monitoring.resources).length}`);
    expect(count).toBeLessThan(460);
  });

  it("the nested stack keeps within a template's 500 resources and 200 parameters", () => {
    expect(Object.keys(monitoring.resources).length).toBeLessThan(450);
    // One parameter per name the alarms read from the parent: every function's, each queue's, each state machine's…
    expect(monitoring.parameters.length).toBeGreaterThan(ofType('AWS::Lambda::Function').length);
    expect(monitoring.parameters.length).toBeLessThan(150);
  });

  it(
    'without identity providers, the production stack holds at most 450 resources: fifty under the limit, room for the routes to come',
    () => {
      const { resources: plain } = synthesize({ context: PRODUCTION });
      const count = Object.keys(plain).length;
      console.log(`production stage: ${count} resources`);
      expect(count).toBeLessThanOrEqual(450);
    },
    SYNTH_TIMEOUT,
  );
});
