import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../functions/twin/authorise.js';
import type { AwsGateway } from '../../functions/twin/aws-gateway.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import type { Execution, LocalStepFunctions } from '../../functions/twin/local-services.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import type { StackModel } from '../../functions/twin/template.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';
import { CATALOGUE_PARTITION } from '../../functions/projections/certification-catalogue.js';

let stack: StackModel;
let resolver: Resolver;
let callers: Map<string, Caller>;
let gateway: AwsGateway;
let stepFunctions: LocalStepFunctions;
let direct: { dynamo: DynamoDBClient; s3: S3Client };
const started: Execution[] = [];
const work = mkdtempSync(join(tmpdir(), 'twin-gateway-'));
let aws: LocalAws;

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  aws = await startLocalAws(stack, resolver, {
    dataDir: work,
    runExecution: async (execution) => {
      started.push(execution);
      return { ok: true };
    },
  });
  ({ gateway, callers, stepFunctions } = aws);
  direct = { dynamo: aws.admin.dynamodb, s3: aws.admin.s3 };
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The function behind a route, and one holding a grant (found in its role, not in our sources). */
const callerOfRoute = (routeKey: string) => callers.get(stack.httpRoutes.find((r) => r.routeKey === routeKey)!.functionLogicalId!)!;
const callerAllowedTo = (action: string) => {
  const c = [...callers.values()].find((x) => JSON.stringify(x.policies).includes(`"${action}"`));
  if (!c) throw new Error(`no function may ${action}`);
  return c;
};
const byPath = (path: string) => Object.entries(stack.template.Resources).find(([, r]) => r.Metadata?.['aws:cdk:path'] === `${stack.stackName}/${path}/Resource`)![0];

/** A real SDK client of `service`, configured as a function of the twin is: only the environment it would get. */
function clientAs<T>(Client: new (config: object) => T, caller: Caller, extra: object = {}): T {
  const env = gateway.environmentFor(caller);
  return new Client({
    endpoint: env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    ...extra,
  });
}
const rejection = async (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & { $metadata: { httpStatusCode: number }; Code?: string },
  );

describe('the AWS gateway, with real SDK clients signing as a function', () => {
  it("forwards a DynamoDB call the function's role allows to dynalite", async () => {
    const register = callerOfRoute('POST /candidates');
    const events = resolver.ref(byPath('Tables/Events'));
    await clientAs(DynamoDBClient, register).send(new PutItemCommand({ TableName: events, Item: { pk: { S: 'twin#1' }, sk: { N: '1' } } }));
    const { Item } = await direct.dynamo.send(new GetItemCommand({ TableName: events, Key: { pk: { S: 'twin#1' }, sk: { N: '1' } } }));
    expect(Item?.pk?.S).toBe('twin#1');
  });

  it('answers a DynamoDB call the role does not allow with AccessDeniedException naming the role and the action', async () => {
    const health = callerOfRoute('GET /health');
    const events = resolver.ref(byPath('Tables/Events'));
    const e = await rejection(clientAs(DynamoDBClient, health).send(new ScanCommand({ TableName: events })));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toContain(
      `assumed-role/${health.roleName}/${health.functionName} is not authorized to perform: dynamodb:Scan on resource: ${resolver.getAtt(byPath('Tables/Events'), 'Arn')}`,
    );
  });

  it('refuses a key that names no function of the stack, as AWS refuses an unknown key', async () => {
    const stranger = { ...callerOfRoute('GET /health'), functionName: 'NotAFunction' };
    const e = await rejection(clientAs(DynamoDBClient, stranger).send(new ScanCommand({ TableName: 'x' })));
    expect(e.name).toBe('UnrecognizedClientException');
  });

  it('forwards an allowed S3 upload to s3rver, streamed with the default checksums, and stores the plain bytes', async () => {
    const writer = callerAllowedTo('s3:PutObject');
    const bucket = JSON.stringify(writer.policies).match(/arn:aws:s3:::([^/"]+)\/\*/)![1]!;
    await clientAs(S3Client, writer).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'a/b.csv', Body: Readable.from([Buffer.from('line1\n'), Buffer.from('line2\n')]), ContentLength: 12 }),
    );
    const got = await direct.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.csv' }));
    expect(await got.Body!.transformToString()).toBe('line1\nline2\n');
  });

  it('answers a denied S3 call as S3 does: 403, AccessDenied, in XML', async () => {
    const health = callerOfRoute('GET /health');
    const bucket = resolver.ref(byPath('Buckets/Documents'));
    const e = await rejection(clientAs(S3Client, health).send(new GetObjectCommand({ Bucket: bucket, Key: 'x.pdf' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toContain(`${health.functionName} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::${bucket}/x.pdf`);
  });

  it("limits a public function's reads to the partition keys it serves (dynamodb:LeadingKeys), as AWS does", async () => {
    const verify = clientAs(DynamoDBClient, callerOfRoute('GET /verify/{code}'));
    const credential = clientAs(DynamoDBClient, callerOfRoute('GET /certificates/{code}/credential'));
    const readModels = resolver.ref(byPath('Tables/ReadModels'));
    const events = resolver.ref(byPath('Tables/Events'));
    const get = (table: string, pk: string) => new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: 'x' } } });
    await verify.send(get(readModels, 'certificate#ABC'));
    await verify.send(get(readModels, CATALOGUE_PARTITION));
    await verify.send(
      new QueryCommand({
        TableName: events,
        KeyConditionExpression: '#p = :s',
        ExpressionAttributeNames: { '#p': 'pk' },
        ExpressionAttributeValues: { ':s': { S: 'certificate#ABC' } },
      }),
    );
    const denied = await rejection(verify.send(get(readModels, 'candidate-record#someone')));
    expect(denied.name).toBe('AccessDeniedException');
    expect((await rejection(verify.send(get(readModels, 'certification#RNCP1')))).name, 'the catalogue only, not every certification partition').toBe('AccessDeniedException');
    const query = await rejection(
      verify.send(new QueryCommand({ TableName: events, KeyConditionExpression: 'pk = :s', ExpressionAttributeValues: { ':s': { S: 'candidate#someone' } } })),
    );
    expect(query.name).toBe('AccessDeniedException');
    const batch = await rejection(
      credential.send(
        new BatchGetItemCommand({
          RequestItems: {
            [readModels]: {
              Keys: [
                { pk: { S: 'certificate#A' }, sk: { S: 'A' } },
                { pk: { S: 'session#B' }, sk: { S: 'B' } },
              ],
            },
          },
        }),
      ),
    );
    expect(batch.name).toBe('AccessDeniedException');
    expect((await rejection(credential.send(get(events, 'certificate#ABC')))).name).toBe('AccessDeniedException');
  });

  it('answers a missing key with 403 AccessDenied to a function that may not list the bucket, as S3 does, and NoSuchKey to one that may', async () => {
    const pdf = clientAs(S3Client, callerOfRoute('GET /certificates/{code}/pdf'));
    const documents = resolver.ref(byPath('Buckets/Documents'));
    const missing = await rejection(pdf.send(new GetObjectCommand({ Bucket: documents, Key: 'certificates/NOPE.pdf' })));
    expect(missing.name).toBe('AccessDenied');
    expect(missing.$metadata.httpStatusCode).toBe(403);
    await direct.s3.send(new PutObjectCommand({ Bucket: documents, Key: 'certificates/THERE.pdf', Body: 'pdf' }));
    const there = await pdf.send(new GetObjectCommand({ Bucket: documents, Key: 'certificates/THERE.pdf' }));
    expect(await there.Body!.transformToString()).toBe('pdf');
    const download = clientAs(S3Client, callerOfRoute('GET /statistics/exports/{exportId}'));
    const exportsBucket = resolver.ref(byPath('Buckets/Exports'));
    expect((await rejection(download.send(new GetObjectCommand({ Bucket: exportsBucket, Key: 'nope.csv' })))).name).toBe('NoSuchKey');
  });

  it('signs a digest with the ECC_NIST_P256 key (DER ECDSA, verifiable with the public key KMS hands out)', async () => {
    const signer = callerAllowedTo('kms:Sign');
    const kms = clientAs(KMSClient, signer);
    const keyId = resolver.ref(byPath('Keys/Signing'));
    const message = Buffer.from('header.payload');
    const digest = createHash('sha256').update(message).digest();
    const { Signature, KeyId } = await kms.send(new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    const { PublicKey, KeySpec } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(KeyId).toBe(resolver.getAtt(byPath('Keys/Signing'), 'Arn'));
    expect(KeySpec).toBe('ECC_NIST_P256');
    expect(verify('sha256', message, createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }), Buffer.from(Signature!))).toBe(true);
  });

  it('wraps a data key bound to its encryption context, and refuses another context', async () => {
    const kms = clientAs(KMSClient, callerOfRoute('POST /candidates'));
    const KeyId = resolver.ref(byPath('Keys/Vault'));
    const made = await kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', EncryptionContext: { personId: 'p1' } }));
    expect(made.Plaintext).toHaveLength(32);
    const back = await kms.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: { personId: 'p1' } }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(made.Plaintext!))).toBe(true);
    const e = await rejection(kms.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: { personId: 'p2' } })));
    expect(e.name).toBe('InvalidCiphertextException');
  });

  it('denies a KMS operation the role lacks, on the key the ciphertext names', async () => {
    const health = callerOfRoute('GET /health');
    const e = await rejection(
      clientAs(KMSClient, health).send(
        new SignCommand({ KeyId: resolver.ref(byPath('Keys/Signing')), Message: Buffer.alloc(32), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
      ),
    );
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toContain('kms:Sign');
  });

  it('starts an execution of a state machine the role may start, once per name, and denies another machine and DescribeExecution', async () => {
    // A function allowed to start one state machine of the stack's and not the other.
    const machines = stack.stateMachines.map((m) => resolver.ref(m.logicalId));
    const startable = (c: Caller) => machines.filter((arn) => JSON.stringify(c.policies).includes(arn) && JSON.stringify(c.policies).includes('"states:StartExecution"'));
    const starter = [...callers.values()].find((c) => startable(c).length === 1)!;
    const sfn = clientAs(SFNClient, starter);
    const allowed = startable(starter);
    const denied = machines.filter((arn) => !allowed.includes(arn));
    expect(allowed).toHaveLength(1);
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: allowed[0], name: 'pv-1', input: '{"a":1}' }));
    expect(first.executionArn).toMatch(/:execution:[^:]+:pv-1$/);
    expect(started.map((x) => x.executionArn)).toContain(first.executionArn);
    await expect.poll(() => stepFunctions.executions.get(first.executionArn!)?.status).toBe('SUCCEEDED');
    const again = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: allowed[0], name: 'pv-1', input: '{"a":1}' })));
    expect(again.name).toBe('ExecutionAlreadyExists');
    // The role starts executions; reading them back is another grant it does not hold.
    expect((await rejection(sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn })))).name).toBe('AccessDeniedException');
    const e = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn: denied[0], name: 'pv-2', input: '{}' })));
    expect(e.name).toBe('AccessDeniedException');
  });

  it('creates a one-time schedule, checking iam:PassRole on the role it hands the Scheduler; deleting is not granted', async () => {
    const planner = callerAllowedTo('scheduler:CreateSchedule');
    const scheduler = clientAs(SchedulerClient, planner);
    const group = resolver.resolveString(stack.scheduleGroups[0]!.name);
    const passable = JSON.stringify(planner.policies).match(/"Action":"iam:PassRole",(?:"Condition":\{[^}]*\}\},)?"Effect":"Allow","Resource":"([^"]+)"/)![1]!;
    const target = { Arn: resolver.ref(stack.stateMachines[0]!.logicalId), RoleArn: passable, Input: '{}' };
    const created = await scheduler.send(
      new CreateScheduleCommand({ Name: 's1', GroupName: group, ScheduleExpression: 'at(2030-01-01T00:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target }),
    );
    expect(created.ScheduleArn).toBe(`arn:aws:scheduler:${resolver.region}:000000000000:schedule/${group}/s1`);
    expect(aws.scheduler.list().find((x) => x.Name === 's1')?.Target?.RoleArn).toBe(passable);
    const other = callerOfRoute('GET /health').roleArn;
    const e = await rejection(
      scheduler.send(
        new CreateScheduleCommand({
          Name: 's2',
          GroupName: group,
          ScheduleExpression: 'at(2030-01-01T00:00:00)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { ...target, RoleArn: other },
        }),
      ),
    );
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toContain('iam:PassRole');
    // The planner creates schedules only: deleting one is another grant it does not hold.
    expect((await rejection(scheduler.send(new DeleteScheduleCommand({ Name: 's1', GroupName: group })))).name).toBe('AccessDeniedException');
  });

  it('records an allowed email in the outbox, and denies a function without ses:SendEmail', async () => {
    const notifier = callerAllowedTo('ses:SendEmail');
    const email = {
      FromEmailAddress: 'Ledger <no-reply@example.org>',
      Destination: { ToAddresses: ['a@example.org'] },
      Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Body' } } } },
    };
    const { MessageId } = await clientAs(SESv2Client, notifier).send(new SendEmailCommand(email));
    const outbox = readFileSync(aws.outbox, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { MessageId: string; caller: string });
    expect(outbox).toContainEqual(expect.objectContaining({ MessageId, caller: notifier.functionName }));
    const e = await rejection(clientAs(SESv2Client, callerOfRoute('GET /health')).send(new SendEmailCommand(email)));
    expect(e.name).toBe('AccessDeniedException');
  });

  it('authorises a Cognito user pool call on the pool (as the account routes will make), denying a role without the grant', async () => {
    const health = callerOfRoute('GET /health');
    const pool = resolver.ref(stack.userPools[0]!.logicalId);
    const e = await rejection(clientAs(CognitoIdentityProviderClient, health).send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'someone@example.org' })));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toContain(`cognito-idp:AdminCreateUser on resource: arn:aws:cognito-idp:${resolver.region}:000000000000:userpool/${pool}`);
  });

  it('refuses a request that names a function without its secret: unsigned, a made-up signature, another secret (issue 17)', async () => {
    const health = callerOfRoute('GET /health');
    const listTables = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
    const madeUp = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        ...listTables,
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        authorization: `AWS4-HMAC-SHA256 Credential=${health.functionName}/20261125/${resolver.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      body: '{}',
    });
    expect(madeUp.status).toBe(400);
    expect(madeUp.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const unsigned = await fetch(gateway.url, { method: 'POST', headers: listTables, body: '{}' });
    expect(unsigned.status).toBe(400);
    const env = gateway.environmentFor(health);
    const impostor = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: 'twin' } });
    const e = await rejection(impostor.send(new GetItemCommand({ TableName: 'any', Key: { pk: { S: 'x' } } })));
    expect(e.name).toBe('InvalidSignatureException');
    impostor.destroy();
  });
});
