import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEventsTable } from '../../functions/adapters/dynamodb-event-store.js';
import { rawCommitsOfTable } from '../../functions/ledger/ledger-check.js';
import { START_UP_MODULE } from '../../infra/constructs/ledger-start-up.js';
import { projectRoot } from '../../infra/paths.js';
import { startDynalite } from '../support/dynalite.js';
import { bundleAsTheStackDoes, type StackBundle } from '../support/stack-bundle.js';
import { sampleAwsEnvironment, SYNTH_TIMEOUT } from './support.js';

// The start-up function as the stack bundles it (the referential's files copied beside it), invoked as the Trigger
// would after a deploy, against dynalite through the real SDK: a fresh stack gets its catalogue.
let bundle: StackBundle;
let dynamo: Awaited<ReturnType<typeof startDynalite>>;
const saved = { ...process.env };

beforeAll(async () => {
  bundle = bundleAsTheStackDoes(START_UP_MODULE, { assetFolders: ['referential'] });
  dynamo = await startDynalite();
  await ensureEventsTable(dynamo.client, 'events-start-up');
  Object.assign(process.env, {
    ...sampleAwsEnvironment(),
    AWS_REGION: 'eu-west-3',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    EVENTS_TABLE: 'events-start-up',
  });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  process.env = saved;
  await dynamo?.stop();
  bundle?.remove();
});

const commitsOf = async () => {
  const commits = [];
  for await (const raw of rawCommitsOfTable(dynamo.client, 'events-start-up')) commits.push(raw);
  return commits;
};

describe('the start-up function, as deployed', () => {
  it('ships the referential beside its bundle', () => {
    expect(readdirSync(join(bundle.assetDir, 'referential')).sort()).toEqual(
      readdirSync(join(projectRoot, 'referential'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
  });

  it('loads the four certifications into an empty ledger, and a second run appends nothing', async () => {
    const { handler } = await bundle.load<{ handler: (event: unknown) => Promise<{ duties: string[] }> }>();
    expect(await handler({ RequestType: 'Create' })).toEqual({ duties: ['referential'] });
    const streams = new Set((await commitsOf()).map((c) => c.stream));
    expect([...streams].filter((s) => s.startsWith('certification#')).sort()).toEqual([
      'certification#RNCP12505',
      'certification#RNCP32340',
      'certification#RNCP38665',
      'certification#SEED004',
    ]);
    const count = (await commitsOf()).length;
    await handler({ RequestType: 'Update' });
    expect((await commitsOf()).length).toBe(count);
  });
});
