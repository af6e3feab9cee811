import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionRunner, functionEnvironment } from '../../functions/twin/function-runner.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import { mappingSettingsOf, matchesPattern, StreamConsumer, type StreamRecord } from '../../functions/twin/stream-delivery.js';
import { readStack, type StackModel } from '../../functions/twin/template.js';

/**
 * A table with a stream and a consumer behind an event source mapping (batch 3, bisect, 2 retries, partial
 * batch responses, INSERT only, an SQS on-failure destination), synthesised by aws-cdk-lib; the consumer is a
 * real bundle that writes down what it receives and refuses `bad-*` items (partial failure) and `boom-*`
 * ones (throws).
 */
const work = mkdtempSync(join(tmpdir(), 'twin-streams-'));
const received = join(work, 'received.jsonl');
let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
let runner: FunctionRunner;
let consumer: StreamConsumer;
let writer: DynamoDBClient;

const CONSUMER = `
import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  const records = event.Records;
  appendFileSync(process.env.RECEIVED, JSON.stringify(records) + '\\n');
  if (records.some((r) => r.dynamodb.NewImage.pk.S.startsWith('boom'))) throw new Error('boom');
  return { batchItemFailures: records.filter((r) => r.dynamodb.NewImage.pk.S.startsWith('bad')).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })) };
};
`;

beforeAll(async () => {
  const assetDir = join(work, 'asset');
  mkdirSync(assetDir);
  writeFileSync(join(assetDir, 'index.mjs'), CONSUMER);
  const app = new App({ outdir: join(work, 'cdk.out'), context: { 'aws:cdk:enable-asset-metadata': true } });
  const s = new Stack(app, 'Streams', { env: { region: 'eu-west-3' } });
  const table = new dynamodb.Table(s, 'Events', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
  const code = lambda.Code.fromAsset(assetDir);
  const consume = new lambda.Function(s, 'Consume', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, environment: { RECEIVED: received } });
  consume.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 3,
      bisectBatchOnError: true,
      retryAttempts: 2,
      reportBatchItemFailures: true,
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
      onFailure: new SqsDlq(new sqs.Queue(s, 'Failed')),
      maxBatchingWindow: Duration.seconds(1),
    }),
  );
  const write = new lambda.Function(s, 'Write', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
  table.grantWriteData(write);
  app.synth();

  stack = readStack(join(work, 'cdk.out'));
  resolver = createResolver(stack);
  aws = await startLocalAws(stack, resolver, { dataDir: join(work, 'data') });
  const consumeFn = stack.functions.find((f) => f.environment.RECEIVED)!;
  const caller = aws.callers.get(consumeFn.logicalId)!;
  runner = new FunctionRunner(consumeFn, {
    functionName: caller.functionName,
    functionArn: resolver.getAtt(consumeFn.logicalId, 'Arn'),
    environment: { ...functionEnvironment(consumeFn, resolver), ...aws.gateway.environmentFor(caller) },
  });
  const [mapping] = stack.eventSourceMappings;
  consumer = new StreamConsumer(
    aws.streams.get(mapping!.sourceLogicalId!)!,
    mappingSettingsOf(mapping!, resolver, join(work, 'data', 'on-failure.jsonl')),
    (e) => runner.invoke(e),
    { retryDelayMs: 10 },
  );
  const writeCaller = [...aws.callers.values()].find((c) => c.functionLogicalId !== consumeFn.logicalId)!;
  const env = aws.gateway.environmentFor(writeCaller);
  writer = new DynamoDBClient({
    endpoint: env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
}, 120_000);

afterAll(async () => {
  consumer?.stop();
  await runner?.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The partition key of a record's new image. */
const pkOf = (r: StreamRecord) => (r.dynamodb.NewImage?.pk as { S?: string } | undefined)?.S;
const tableName = () => resolver.ref(stack.tables[0]!.logicalId);
const put = (pk: string, extra: Record<string, { S: string }> = {}) => writer.send(new PutItemCommand({ TableName: tableName(), Item: { pk: { S: pk }, ...extra } }));
const batches = () =>
  existsSync(received)
    ? readFileSync(received, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as StreamRecord[])
    : [];
const failures = () => {
  const file = join(work, 'data', 'on-failure.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              requestContext: { condition: string; approximateInvokeCount: number };
              DDBStreamBatchInfo: { startSequenceNumber: string; batchSize: number; streamArn: string };
            },
        )
    : [];
};

describe('stream records delivered per the event source mapping', () => {
  it('turns each write through the gateway into a Streams record, gathered for the batching window up to the batch size', async () => {
    for (const pk of ['ok-1', 'ok-2', 'ok-3', 'ok-4']) await put(pk);
    await consumer.idle();
    const all = batches();
    // Written one after the other within the window: gathered, never beyond the batch size.
    expect(all.every((b) => b.length <= 3)).toBe(true);
    expect(all[0]!.length).toBeGreaterThan(1);
    const records = all.flat();
    expect(records.map((r) => r.dynamodb.NewImage?.pk)).toEqual([{ S: 'ok-1' }, { S: 'ok-2' }, { S: 'ok-3' }, { S: 'ok-4' }]);
    expect(records[0]).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'eu-west-3',
      eventSourceARN: resolver.getAtt(stack.tables[0]!.logicalId, 'StreamArn'),
      dynamodb: { Keys: { pk: { S: 'ok-1' } }, NewImage: { pk: { S: 'ok-1' } }, StreamViewType: 'NEW_IMAGE' },
    });
    expect(records[0]!.dynamodb).not.toHaveProperty('OldImage');
    const sequence = records.map((r) => r.dynamodb.SequenceNumber);
    expect([...sequence].sort()).toEqual(sequence);
  });

  it('drops the records the filter excludes (a MODIFY, when the mapping takes INSERT only)', async () => {
    const before = batches().flat().length;
    await put('ok-1', { note: { S: 'changed' } });
    await put('ok-5');
    await consumer.idle();
    const after = batches().flat().slice(before);
    expect(after.map((r) => [r.eventName, pkOf(r)])).toEqual([['INSERT', 'ok-5']]);
  });

  it('retries a reported item failure up to the retry limit, then sends the batch info to the on-failure destination', async () => {
    const before = batches().length;
    await put('bad-1');
    await consumer.idle();
    const tries = batches()
      .slice(before)
      .filter((b) => b.some((r) => pkOf(r) === 'bad-1'));
    expect(tries).toHaveLength(3);
    const [failure] = failures().filter((f) => f.requestContext.condition === 'RetryAttemptsExhausted');
    expect(failure).toMatchObject({
      requestContext: { approximateInvokeCount: 3 },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: resolver.getAtt(stack.tables[0]!.logicalId, 'StreamArn') },
    });
    expect(failure!.DDBStreamBatchInfo.startSequenceNumber).toBe(tries[0]!.find((r) => pkOf(r) === 'bad-1')!.dynamodb.SequenceNumber);
  });

  it('bisects a batch whose invocation throws, so the records beside the poison one get through', async () => {
    const before = batches().length;
    // Written within the batching window: one batch of three, which the throw then splits.
    await Promise.all([put('boom-1'), put('ok-6'), put('ok-7')]);
    await consumer.idle();
    const later = batches().slice(before);
    expect(later.some((b) => b.length > 1 && b.some((r) => pkOf(r) === 'boom-1'))).toBe(true);
    const clean = later
      .filter((b) => !b.some((r) => pkOf(r) === 'boom-1'))
      .flat()
      .map((r) => pkOf(r));
    expect(clean).toEqual(expect.arrayContaining(['ok-6', 'ok-7']));
    expect(failures().filter((f) => f.DDBStreamBatchInfo.batchSize === 1).length).toBeGreaterThanOrEqual(2);
  });
});

describe('filter patterns', () => {
  it('match values, prefixes, exists and anything-but, in nested objects', () => {
    const record = { eventName: 'INSERT', dynamodb: { NewImage: { pk: { S: 'session#1' } } } };
    expect(matchesPattern({ eventName: ['INSERT', 'MODIFY'] }, record)).toBe(true);
    expect(matchesPattern({ eventName: ['REMOVE'] }, record)).toBe(false);
    expect(matchesPattern({ dynamodb: { NewImage: { pk: { S: [{ prefix: 'session#' }] } } } }, record)).toBe(true);
    expect(matchesPattern({ dynamodb: { OldImage: [{ exists: false }] } }, record)).toBe(true);
    expect(matchesPattern({ eventName: [{ 'anything-but': ['INSERT'] }] }, record)).toBe(false);
  });
});
