import { describe, expect, it } from 'vitest';
import { createResolver, UnresolvableIntrinsic } from '../../functions/twin/resolver.js';
import { modelOf, type CfnTemplate } from '../../functions/twin/template.js';

const template: CfnTemplate = {
  Resources: {
    Ledger: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } },
    Named: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::Sub': '${AWS::StackName}-named' } } },
    Docs: { Type: 'AWS::S3::Bucket', Properties: {} },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'S-flow' } },
    AVeryLongLogicalIdOfAFunctionThatGoesOnAndOnHandler0123456789ABCDEF: { Type: 'AWS::Lambda::Function', Properties: {} },
    AVeryLongLogicalIdOfAFunctionThatGoesOnAndOnHandler0123456789ABCDEG: { Type: 'AWS::Lambda::Function', Properties: {} },
    Widget: { Type: 'AWS::Custom::Widget', Properties: {} },
    Users: { Type: 'AWS::Cognito::UserPool', Properties: {} },
  },
  Conditions: {
    IsParis: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-3'] },
    NotParis: { 'Fn::Not': [{ Condition: 'IsParis' }] },
  },
  Mappings: { Sizes: { 'eu-west-3': { memory: 512 } } },
  Parameters: { Stage: { Default: 'dev' } },
};

const model = modelOf(template, { cdkOut: '/nowhere', stackName: 'S', region: 'eu-west-3' });
const r = createResolver(model);

describe('the intrinsic resolver', () => {
  it("builds a resource's ARN and attributes on the physical id a local service chose (cognito-local's pool id), as grants name it", () => {
    const local = createResolver(model, { overrides: { Users: 'local_5Hm2Qx9a' } });
    expect(local.resolve({ Ref: 'Users' })).toBe('local_5Hm2Qx9a');
    expect(local.resolve({ 'Fn::GetAtt': ['Users', 'Arn'] })).toBe('arn:aws:cognito-idp:eu-west-3:000000000000:userpool/local_5Hm2Qx9a');
    expect(local.resolve({ 'Fn::GetAtt': ['Users', 'ProviderURL'] })).toBe('https://cognito-idp.eu-west-3.amazonaws.com/local_5Hm2Qx9a');
  });

  it('gives Ref and Fn::GetAtt the local physical names and ARNs of each kind of resource', () => {
    expect(r.resolve({ Ref: 'Ledger' })).toBe('S-Ledger');
    expect(r.resolve({ 'Fn::GetAtt': ['Ledger', 'Arn'] })).toBe('arn:aws:dynamodb:eu-west-3:000000000000:table/S-Ledger');
    expect(r.resolve({ 'Fn::GetAtt': 'Ledger.StreamArn' })).toMatch(/^arn:aws:dynamodb:eu-west-3:000000000000:table\/S-Ledger\/stream\//);
    expect(r.resolve({ Ref: 'Named' })).toBe('S-named');
    expect(r.resolve({ Ref: 'Docs' })).toBe('s-docs');
    expect(r.resolve({ 'Fn::GetAtt': ['Docs', 'Arn'] })).toBe('arn:aws:s3:::s-docs');
    expect(r.resolve({ Ref: 'Key' })).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.resolve({ 'Fn::GetAtt': ['Key', 'Arn'] })).toBe(`arn:aws:kms:eu-west-3:000000000000:key/${r.ref('Key')}`);
    expect(r.resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('arn:aws:iam::000000000000:role/S-Role');
    expect(r.resolve({ Ref: 'Queue' })).toBe('https://sqs.eu-west-3.amazonaws.com/000000000000/S-Queue');
    expect(r.resolve({ Ref: 'Machine' })).toBe('arn:aws:states:eu-west-3:000000000000:stateMachine:S-flow');
    expect(r.resolve({ Ref: 'Stage' })).toBe('dev');
  });

  it('evaluates Fn::Sub (pseudo parameters, Ref, GetAtt, variables, ${!literal}), Join, Select and Split', () => {
    expect(r.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Ledger}/${Docs.Arn}/${!Keep}' })).toBe(
      'arn:aws:x:eu-west-3:000000000000:S-Ledger/arn:aws:s3:::s-docs/${Keep}',
    );
    expect(r.resolve({ 'Fn::Sub': ['${A}-${Ledger}', { A: { Ref: 'Stage' } }] })).toBe('dev-S-Ledger');
    expect(r.resolve({ 'Fn::Join': ['', ['a', { Ref: 'Stage' }, 'b']] })).toBe('adevb');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
    expect(r.resolve({ 'Fn::Join': ['-', { 'Fn::Split': [',', 'x,y'] }] })).toBe('x-y');
  });

  it('evaluates conditions, Fn::If with AWS::NoValue dropping the property, and FindInMap', () => {
    expect(r.resolve({ 'Fn::If': ['IsParis', 'here', 'there'] })).toBe('here');
    expect(r.resolve({ a: 1, b: { 'Fn::If': ['NotParis', 'x', { Ref: 'AWS::NoValue' }] } })).toEqual({ a: 1 });
    expect(r.resolve([1, { 'Fn::If': ['NotParis', 2, { Ref: 'AWS::NoValue' }] }])).toEqual([1]);
    expect(r.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'memory'] })).toBe(512);
  });

  it('refuses what it cannot know rather than inventing it', () => {
    expect(() => r.resolve({ 'Fn::ImportValue': 'Other-Export' })).toThrow(UnresolvableIntrinsic);
    expect(() => r.resolve({ 'Fn::GetAtt': ['Widget', 'Colour'] })).toThrow(/Widget\.Colour/);
    expect(() => r.resolve({ Ref: 'Missing' })).toThrow(/no resource Missing/);
  });

  it('lets the twin override a Ref or an attribute with what a local service chose', () => {
    const o = createResolver(model, { overrides: { Ledger: 'chosen', 'Docs.DomainName': 'localhost:4000' } });
    expect(o.resolve({ Ref: 'Ledger' })).toBe('chosen');
    expect(o.resolve({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': ['Docs', 'DomainName'] }]] })).toBe('http://localhost:4000');
  });

  it('derives names deterministically, truncating long ones without collisions', () => {
    const again = createResolver(model);
    expect(again.physicalIds()).toEqual(r.physicalIds());
    const [a, b] = ['AVeryLongLogicalIdOfAFunctionThatGoesOnAndOnHandler0123456789ABCDEF', 'AVeryLongLogicalIdOfAFunctionThatGoesOnAndOnHandler0123456789ABCDEG'].map((id) =>
      r.ref(id),
    );
    expect(a!.length).toBeLessThanOrEqual(64);
    expect(b!.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
  });

  it('parses a definition string with DefinitionSubstitutions applied', () => {
    const asl = r.stateMachineDefinition({
      logicalId: 'M',
      name: undefined,
      definition: { 'Fn::Join': ['', ['{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['Queue', 'Arn'] }, '","Comment":"${note}","End":true}}}']] },
      definitionSubstitutions: { note: { Ref: 'Stage' } },
      roleLogicalId: undefined,
      type: 'STANDARD',
    });
    expect(asl).toEqual({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:sqs:eu-west-3:000000000000:S-Queue', Comment: 'dev', End: true } } });
  });
});
