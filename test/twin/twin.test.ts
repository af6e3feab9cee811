import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../../functions/twin/twin.js';
import { projectRoot, SYNTH_TIMEOUT } from './synthesized.js';

const dataDir = mkdtempSync(join(tmpdir(), 'twin-e2e-'));
let twin: Twin | undefined;

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const tableByPath = (t: Twin, path: string) =>
  t.resolver.ref(Object.entries(t.model.template.Resources).find(([, r]) => r.Metadata?.['aws:cdk:path'] === `${t.model.stackName}/${path}/Resource`)![0]);
const scan = async (t: Twin, path: string) => (await t.aws.admin.dynamodb.send(new ScanCommand({ TableName: tableByPath(t, path) }))).Items ?? [];

describe('the twin, whole', () => {
  it(
    "answers GET /certifications with the referential on a fresh data dir: the template's Trigger ran the start-up function before /health answered",
    async () => {
      twin = await startTwin({ root: projectRoot, dataDir, port: 0 });
      expect((await fetch(`${twin.url}/health`)).status).toBe(200);
      const res = await fetch(`${twin.url}/certifications`);
      expect(res.status).toBe(200);
      const certifications = (await res.json()) as { rncp: string; blocs: unknown[] }[];
      expect(certifications.map((c) => c.rncp).sort()).toEqual(['RNCP12505', 'RNCP32340', 'RNCP38665', 'SEED004']);
      expect(certifications).toHaveLength(4);
      expect(Object.fromEntries(certifications.map((c) => [c.rncp, c.blocs.length]))).toMatchObject({ RNCP38665: 2, RNCP32340: 2, RNCP12505: 3 });
    },
    SYNTH_TIMEOUT,
  );

  it(
    'serves the API from cdk.out: a write goes through IAM to dynalite, its stream record to the projector, which writes a read model',
    async () => {
      const token = await twin!.token({ 'cognito:groups': ['dreets'], 'custom:ledger_id': 'agent-1', 'custom:region': 'Bretagne' });
      const res = await fetch(`${twin!.url}/centres`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Centre AFPA Rennes', region: 'Bretagne' }),
      });
      expect(res.status).toBe(201);
      expect((await scan(twin!, 'Tables/Events')).length).toBeGreaterThan(0);
      await expect.poll(async () => (await scan(twin!, 'Tables/ReadModels')).length, { timeout: 30_000 }).toBeGreaterThan(0);
    },
    SYNTH_TIMEOUT,
  );

  it(
    'finds its data again after a restart on the same data dir',
    async () => {
      const before = (await scan(twin!, 'Tables/Events')).length;
      await twin!.stop();
      twin = await startTwin({ root: projectRoot, dataDir, port: 0 });
      expect((await scan(twin, 'Tables/Events')).length).toBe(before);
      expect((await fetch(`${twin.url}/health`)).status).toBe(200);
    },
    SYNTH_TIMEOUT,
  );
});
