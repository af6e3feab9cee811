import { beforeAll, describe, expect, it } from 'vitest';
import { routeKey } from '../../functions/routes.js';
import { VERIFY_THROTTLE } from '../../infra/constructs/ledger-http-api.js';
import type { LedgerStack } from '../../infra/stacks/ledger-stack.js';
import { localFunctionArn, renderWorkflow } from '../../infra/workflows/render.js';
import { stateMachineArnVariable } from '../../infra/workflows/workflow.js';
import {
  actionsOf,
  type CfnResourceJson,
  definitionOf,
  extendedStack,
  identityPolicies,
  logicalIdOf,
  sampleWorkflow,
  statementsOfRole,
  SYNTH_TIMEOUT,
  synthesize,
} from './support.js';

// The stack as the coming issues will grow it (a workflow, a public verify route, every kind of access):
// the extension points must already hold.
let stack: LedgerStack;
let resources: Record<string, CfnResourceJson>;
let alarms: Record<string, CfnResourceJson>;

beforeAll(() => {
  // Without the pages (test/infra/web.test.ts has them): their BucketDeployment handler is not a ledger function.
  ({
    stack,
    resources,
    monitoring: { resources: alarms },
  } = synthesize({ stack: { ...extendedStack, web: false } }));
}, SYNTH_TIMEOUT);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const SAMPLE = `${'CertificationLedger'}-${sampleWorkflow.name}`;
const sampleMachine = () => ofType('AWS::StepFunctions::StateMachine').find(([, m]) => m.Properties.StateMachineName === SAMPLE)!;
const fnId = (module: string) => logicalIdOf(stack, stack.functions.all().get(module)!.handler);
const roleId = (module: string) => logicalIdOf(stack, stack.functions.all().get(module)!.role);

describe('workflows', () => {
  it('a workflow becomes a Standard state machine, logged at level ALL, traced', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    // And the rebuild's (not a workflow of the ledger: an operator starts it).
    expect(machines).toHaveLength(extendedStack.workflows!.length + 1);
    expect(SAMPLE).toBe(`${stack.stackName}-${sampleWorkflow.name}`);
    const [, machine] = sampleMachine();
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
    const logGroup = machine.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0] as string;
    expect(resources[logGroup]!.Type).toBe('AWS::Logs::LogGroup');
    // Under /aws/vendedlogs, suffixed by the stack instance (test/infra/redeploy.test.ts).
    expect(JSON.stringify(resources[logGroup]!.Properties.LogGroupName)).toMatch(/^\{"Fn::Join":\["",\["\/aws\/vendedlogs\/states\/CertificationLedger-sample-flow-",/);
  });

  it('the Task states point at the intended functions, and the state machine may invoke exactly those', () => {
    const [, machine] = sampleMachine();
    const definition = definitionOf(machine);
    const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
    // A Task invokes its function directly (Resource, payloadResponseOnly) or through lambda:invoke (Parameters.FunctionName).
    expect(Object.fromEntries(tasks.map(([name, s]) => [name, s.Parameters?.FunctionName ?? s.Resource]))).toEqual({
      'Read certification': `<<${fnId('certifications/get-certification')}>>`,
      'Check health': `<<${fnId('health/get-health')}>>`,
    });
    expect(definition.States['Check health']!.Resource).toBe('arn:aws:states:::lambda:invoke');
    const roleOfMachine = machine.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const statements = statementsOfRole(resources, roleOfMachine);
    const invoked = statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction')).flatMap((s) => s.Resource as unknown[]);
    expect(JSON.stringify(invoked)).toContain(fnId('certifications/get-certification'));
    expect(JSON.stringify(invoked)).toContain(fnId('health/get-health'));
    // Resource "*" is for X-Ray and log delivery only.
    const star = statements.filter((s) => s.Resource === '*');
    expect(
      actionsOf(star).every((a) => /^(xray|logs):/.test(a)),
      actionsOf(star).join(),
    ).toBe(true);
  });

  it('every function knows the state machine ARN; only the functions allowed to may start it, and the scheduler role', () => {
    const variable = stateMachineArnVariable(sampleWorkflow.name);
    expect(variable).toBe('SAMPLE_FLOW_STATE_MACHINE_ARN');
    // The ledger's functions (CDK adds the Trigger's provider, which is not one of them).
    const rebuild = new Set(Object.values(stack.rebuild.functions).map((fn) => logicalIdOf(stack, fn.handler)));
    for (const [id, fn] of ofType('AWS::Lambda::Function').filter(([i, f]) => String(f.Properties.Description ?? '').startsWith('certification-ledger ') && !rebuild.has(i))) {
      expect(JSON.stringify(fn.Properties.Environment.Variables[variable]), id).toContain(`:stateMachine:${stack.stackName}-sample-flow`);
    }
    const startsSample = (statements: { Action: string | string[]; Resource: unknown }[]) =>
      statements.some((st) => actionsOf([st as never]).includes('states:StartExecution') && JSON.stringify(st.Resource).includes(`:stateMachine:${SAMPLE}"`));
    const starters = identityPolicies(resources)
      .filter((p) => startsSample(p.statements))
      .flatMap((p) => p.roles);
    expect(starters.sort()).toEqual([roleId('candidates/register-candidate'), logicalIdOf(stack, stack.scheduler.role)].sort());
  });

  it('alarms when an execution fails', () => {
    const [machineId] = sampleMachine();
    // In the monitoring nested stack, its dimensions read as the parent's (test/infra/support.ts).
    const failed = Object.entries(alarms).filter(([, a]) => a.Type === 'AWS::CloudWatch::Alarm' && a.Properties.MetricName === 'ExecutionsFailed');
    // And the read-model rebuild's.
    expect(failed).toHaveLength(extendedStack.workflows!.length + 1);
    const alarm = failed.find(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(`"${machineId}"`));
    expect(alarm![1].Properties).toMatchObject({
      Namespace: 'AWS/States',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
    });
  });

  it('renders to ASL for the local runner, each Task mapped to its module', () => {
    const { asl, taskModules } = renderWorkflow(sampleWorkflow);
    expect(asl.StartAt).toBe('Read certification');
    const states = asl.States as Record<string, { Resource?: string; Parameters?: { FunctionName?: string } }>;
    expect(states['Read certification']!.Resource).toBe(localFunctionArn('certifications/get-certification'));
    expect(states['Check health']!.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(states['Check health']!.Parameters!.FunctionName).toBe(localFunctionArn('health/get-health'));
    expect(taskModules).toEqual({ 'Read certification': 'certifications/get-certification', 'Check health': 'health/get-health' });
  });
});

describe('grants as the coming routes will need them', () => {
  const statementsOf = (module: string) => statementsOfRole(resources, roleId(module));
  const on = (module: string, construct: Parameters<typeof logicalIdOf>[1]) =>
    actionsOf(statementsOf(module).filter((s) => JSON.stringify(s.Resource).includes(`"${logicalIdOf(stack, construct)}"`)));

  it('signing: kms:Sign only where asked, GetPublicKey alone for the JWKS', () => {
    expect(on('candidates/register-candidate', stack.keys.signing).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(on('certifications/get-certification', stack.keys.signing)).toEqual(['kms:GetPublicKey']);
    expect(on('health/get-health', stack.keys.signing)).toEqual([]);
  });

  it('vault, documents, exports, rate limiter, SES and schedules', () => {
    expect(on('candidates/register-candidate', stack.keys.vault).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(on('candidates/register-candidate', stack.tables.personVault).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    // No ListBucket on the documents: a listing gives away every certificate code (a missing key is AccessDenied there).
    expect(on('candidates/register-candidate', stack.buckets.documents).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(on('candidates/register-candidate', stack.buckets.exports).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(on('certifications/get-certification', stack.tables.rateLimit)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem']));
    const actions = actionsOf(statementsOf('candidates/register-candidate'));
    expect(actions).toEqual(expect.arrayContaining(['ses:SendEmail', 'scheduler:CreateSchedule', 'iam:PassRole']));
    expect(actionsOf(statementsOf('health/get-health')).filter((a) => !a.startsWith('logs:'))).toEqual([]);
  });

  it('throttles a public /verify route at the stage', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, CfnResourceJson]];
    const key = routeKey({ method: 'GET', path: '/verify/{code}' });
    expect(stage.Properties.RouteSettings).toEqual({
      [key]: { ThrottlingRateLimit: VERIFY_THROTTLE.rateLimit, ThrottlingBurstLimit: VERIFY_THROTTLE.burstLimit },
    });
    const route = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key)!;
    expect(stage.DependsOn).toContain(route[0]);
  });
});
