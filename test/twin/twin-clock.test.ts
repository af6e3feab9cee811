import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../../functions/twin/twin.js';
import { twinClock } from '../../functions/twin/twin-clock.js';
import { projectRoot, SYNTH_TIMEOUT } from './synthesized.js';

const dataDir = mkdtempSync(join(tmpdir(), 'twin-clock-'));
let twin: Twin;

beforeAll(async () => {
  twin = await startTwin({ root: projectRoot, dataDir, port: 0, clock: 'virtual:2030-01-01T08:00:00Z', scheduleTickMs: 60_000 });
}, SYNTH_TIMEOUT);

afterAll(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${twin.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe("the twin's local-only controls and virtual clock", () => {
  it('mints a token for a loopback caller that the authorizer accepts, and functions record the virtual time', async () => {
    const res = await post('/_local/tokens', { role: 'dreets', ledgerId: 'agent-1', region: 'Bretagne' });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    expect((await post('/centres', { name: 'Centre AFPA Rennes', region: 'Bretagne' }, token)).status).toBe(201);
    const table = twin.resolver.ref(
      Object.entries(twin.model.template.Resources).find(([, r]) => r.Metadata?.['aws:cdk:path'] === `${twin.model.stackName}/Tables/Events/Resource`)![0],
    );
    const items = (await twin.aws.admin.dynamodb.send(new ScanCommand({ TableName: table }))).Items ?? [];
    expect(items.map((i) => i.recordedAt?.S)).toContainEqual(expect.stringMatching(/^2030-01-01T08:0/));
  }, 60_000);

  it('moves the clock forward, never back, firing on the way the schedules that fall due', async () => {
    const role = twin.model.roles.find((r) => JSON.stringify(r.assumeRolePolicy).includes('scheduler.amazonaws.com'))!;
    const machine = twin.model.stateMachines.map((m) => twin.resolver.ref(m.logicalId)).find((arn) => arn.endsWith('-capitalisation'))!;
    const group = twin.resolver.resolveString(twin.model.scheduleGroups[0]!.name);
    twin.aws.scheduler.create(
      'due-on-the-way',
      {
        GroupName: group,
        ScheduleExpression: 'at(2030-03-01T00:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: machine, RoleArn: twin.resolver.getAtt(role.roleLogicalId, 'Arn'), Input: '{"action":"nothing-to-do"}' },
        ActionAfterCompletion: 'DELETE',
      },
      false,
    );
    const moved = await post('/_local/clock', { now: '2030-06-01T00:00:00Z' });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ now: '2030-06-01T00:00:00.000Z' });
    const started = [...twin.aws.stepFunctions.executions.values()].filter((e) => e.input === '{"action":"nothing-to-do"}');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ status: 'FAILED', error: 'UnknownAction' });
    const back = await post('/_local/clock', { now: '2030-01-01T00:00:00Z' });
    expect(back.status).toBe(422);
    expect(((await back.json()) as { type: string }).type).toBe('/problems/clock-cannot-go-back');
    expect((await post('/_local/clock', { now: 'tomorrow' })).status).toBe(400);
  }, 60_000);
});

describe('the clock setting', () => {
  it('keeps a virtual clock across restarts, and refuses a setting it does not know', () => {
    const file = join(dataDir, 'clock-unit.json');
    const clock = twinClock('virtual:2030-01-01T00:00:00Z', file);
    clock.set(new Date('2031-01-01T00:00:00Z'));
    expect(twinClock('virtual:2030-01-01T00:00:00Z', file).now().toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect(twinClock('system', file).virtual).toBe(false);
    expect(() => twinClock('virtual:yesterday', file)).toThrow(/LEDGER_CLOCK/);
  });
});
