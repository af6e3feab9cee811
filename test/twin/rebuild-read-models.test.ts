import { BatchWriteItemCommand, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitToItem } from '../../functions/adapters/dynamodb-event-store.js';
import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { MemoryReadModelStore } from '../../functions/adapters/memory-read-model-store.js';
import { followers, projections } from '../../functions/projections/index.js';
import { Projector } from '../../functions/projections/projector.js';
import { FunctionHost } from '../../functions/twin/function-host.js';
import { startLocalAws, type LocalAws } from '../../functions/twin/local-aws.js';
import { createResolver, type Resolver } from '../../functions/twin/resolver.js';
import { stateMachineRunner } from '../../functions/twin/state-machines.js';
import type { StackModel } from '../../functions/twin/template.js';
import { generateHistory } from '../bench/rebuild-history.js';
import { SYNTH_TIMEOUT, synthesizedStack } from './synthesized.js';

// The rebuild as deployed: the template's state machine run by aws-local-stepfunctions, each Task the function's
// bundle from cdk.out with the template's environment, every DynamoDB call it makes authorised against its role.

const work = mkdtempSync(join(tmpdir(), 'twin-rebuild-'));
let stack: StackModel;
let resolver: Resolver;
let aws: LocalAws;
let host: FunctionHost;
let tables: { events: string; blue: string; green: string };
let expected: Record<string, { key: string; doc: unknown; position: number }[]>;

beforeAll(async () => {
  stack = await synthesizedStack();
  resolver = createResolver(stack);
  let runner: ReturnType<typeof stateMachineRunner> | undefined;
  aws = await startLocalAws(stack, resolver, { dataDir: work, runExecution: (execution) => runner!(execution) });
  host = new FunctionHost(stack, resolver, aws.gateway, aws.callers);
  runner = stateMachineRunner(stack, resolver, host, { retryIntervalMs: 0 });
  const names = (await aws.admin.dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
  const named = (pattern: RegExp) => names.find((n) => pattern.test(n))!;
  tables = { events: named(/TablesEvents/), blue: named(/TablesReadModels(?!Green)/), green: named(/TablesReadModelsGreen/) };
  expect(Object.values(tables).every(Boolean)).toBe(true);
  const history = await generateHistory(400, 18_2026);
  for (let i = 0; i < history.commits.length; i += 25) {
    const batch = history.commits.slice(i, i + 25).map((c) => ({ PutRequest: { Item: commitToItem(c) } }));
    await aws.admin.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [tables.events]: batch } }));
  }
  // What the same projections give in this process, for comparison.
  const store = new MemoryEventStore();
  for (const c of history.commits)
    await store.append({ stream: c.stream, expectedVersion: c.version - 1, prevHash: c.prevHash, events: c.events, commandId: c.commandId, recordedAt: c.recordedAt });
  const memory = new MemoryReadModelStore();
  await new Projector(store, memory, projections, followers).replayAll();
  expected = memory.dump();
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await host?.close();
  await aws?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function dump(table: string) {
  const out: Record<string, { key: string; doc: unknown; position: number }[]> = {};
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await aws.admin.dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const { pk, sk, doc, position } = unmarshall(item) as { pk: string; sk: string; doc: string; position: number };
      (out[pk] ??= []).push({ key: sk, doc: JSON.parse(doc), position });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  for (const items of Object.values(out)) items.sort((a, b) => (a.key < b.key ? -1 : 1));
  return out;
}

async function start(name: string, input: unknown) {
  const arn = stack.stateMachines.map((m) => resolver.ref(m.logicalId)).find((a) => a.endsWith('-rebuild-read-models'))!;
  expect(arn).toBeDefined();
  const { executionArn } = aws.stepFunctions.handle('StartExecution', { stateMachineArn: arn, name, input: JSON.stringify(input) }) as { executionArn: string };
  await expect.poll(() => aws.stepFunctions.executions.get(executionArn)?.status, { timeout: 240_000, interval: 500 }).not.toBe('RUNNING');
  return aws.stepFunctions.executions.get(executionArn)!;
}

describe('the rebuild state machine on the twin', () => {
  it('refuses the served table before touching anything', async () => {
    const execution = await start('refused-1', { target: 'blue' });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'RebuildRefused' });
  }, 300_000);

  it('rebuilds every read model into green from the events table, page by page, as its roles allow', async () => {
    const execution = await start('rebuild-1', { segments: 3, pageSize: 40, pagesPerInvocation: 2 });
    expect(execution.status, `${execution.error}: ${execution.cause}`).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output!) as { target: string; table: string; cleared: boolean; segments: { commits: number; invocations: number; done: boolean }[] };
    expect(output).toMatchObject({ target: 'green', table: tables.green, cleared: true });
    expect(output.segments).toHaveLength(3);
    expect(output.segments.some((s) => s.invocations > 1)).toBe(true);
    const rebuilt = await dump(tables.green);
    expect(Object.keys(rebuilt).length).toBeGreaterThan(20);
    expect(rebuilt).toEqual(expected);
    // The served table was not written.
    expect(await dump(tables.blue)).toEqual({});
  }, 300_000);
});
