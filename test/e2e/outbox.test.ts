import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { candidateStream } from '../../domain/candidate.js';
import { sessionStream } from '../../domain/session.js';
import { localExecutionArn } from '../../functions/local/local-workflows.js';
import { verifyLocalToken } from '../../functions/local/local-token.js';
import { recordedEvents } from '../../functions/shared/command-handler.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { scenario, type Caller } from '../support/scenario.js';

// Local only: it makes workflow starts fail through the local runner's interceptors, stops the ledger mid-way and
// restarts it on its data dir, and reads the streams from the store; the twin's Streams delivery (retries, bisect,
// on-failure) has its own tests in test/twin.

const RNCP = 'RNCP38665';
const CLOCK = 'virtual:2025-09-01T08:00:00Z';

/** A titre session of one candidate, deliberated and ready for its PV. */
async function sessionReadyForPv(L: LocalLedger) {
  const call: Caller = (method, path, opts = {}) => L.call(method, path, { as: opts.as as never, body: opts.body, headers: opts.headers });
  const s = scenario(call);
  const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
  const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
  const { sessionId, candidateId } = await s.titreDeliberated(RNCP, centreId, jurors, 'Moreau', {
    startsOn: '2025-10-06',
    endsOn: '2025-10-07',
    deliberatedAt: '2025-10-07T14:00:00Z',
    setClock: (now) => L.call('POST', '/_local/clock', { body: { now } }),
  });
  return { s, sessionId, candidateId };
}

const typesOn = async (L: LocalLedger, stream: string) => (await L.deps.store.read(stream)).commits.flatMap(recordedEvents).map((e) => e.type);
const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe('every reaction starts from the change feed: the ledger is the outbox (on dynalite)', () => {
  const running: LocalLedger[] = [];
  afterEach(async () => {
    for (const L of running.splice(0)) await L.stop();
  });

  it('Step Functions failing at the start after the PV is appended: the start is retried and the workflow runs exactly once', async () => {
    let failures = 0;
    const L = await startTestLedger({
      clock: CLOCK,
      workflowOptions: {
        interceptStart: (workflow) => {
          if (workflow === 'session' && failures < 2) {
            failures++;
            throw new Error('Step Functions is unavailable');
          }
        },
      },
    });
    running.push(L);
    const { s, sessionId, candidateId } = await sessionReadyForPv(L);
    const { executionName } = await s.validatePv(sessionId);
    await L.settle();
    expect(failures).toBe(2);
    expect(L.workflows.execution(localExecutionArn('session', executionName))?.status).toBe('SUCCEEDED');
    const types = await typesOn(L, candidateStream(candidateId));
    expect(count(types, 'TitreIssued')).toBe(1);
    expect(count(types, 'CertificateCodeReserved')).toBe(1);
  });

  it('the process dies between the append and the start: after the restart the workflow runs, once, and a redelivered record starts nothing more', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-outbox-'));
    // The first process appends PvValidated and answers 202, but never starts the workflow (every start fails until it stops).
    const first = await startTestLedger({
      dataDir,
      clock: CLOCK,
      workflowOptions: {
        interceptStart: (workflow) => {
          if (workflow === 'session') throw new Error('the process is about to die');
        },
      },
    });
    running.push(first);
    const { s, sessionId, candidateId } = await sessionReadyForPv(first);
    const { executionName } = await s.validatePv(sessionId);
    await first.settle();
    expect(await typesOn(first, sessionStream(sessionId))).toContain('PvValidated');
    expect(first.workflows.execution(localExecutionArn('session', executionName))).toBeUndefined();
    expect(await typesOn(first, candidateStream(candidateId))).not.toContain('TitreIssued');
    await first.stop();
    running.splice(0);

    // The restart finds the PvValidated commit among those a reaction concerns and starts the workflow.
    const second = await startTestLedger({ dataDir, clock: CLOCK });
    running.push(second);
    await second.settle();
    expect(second.workflows.execution(localExecutionArn('session', executionName))?.status).toBe('SUCCEEDED');
    const types = await typesOn(second, candidateStream(candidateId));
    expect(count(types, 'TitreIssued')).toBe(1);
    expect(count(types, 'CertificateCodeReserved')).toBe(1);
    const record = (await second.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json;
    expect(record.certificates).toEqual([expect.objectContaining({ kind: 'titre', status: 'valid' })]);

    // The same record delivered again (a duplicated Streams record): nothing more.
    const pv = (await second.deps.store.read(sessionStream(sessionId))).commits.find((c) => c.events.some((e) => e.type === 'PvValidated'))!;
    await second.ledger.react(pv);
    await second.settle();
    expect(count(await typesOn(second, candidateStream(candidateId)), 'TitreIssued')).toBe(1);
    await second.stop();
    running.splice(0);

    // And a third start on the same data: the execution ended, nothing is issued again.
    const third = await startTestLedger({ dataDir, clock: CLOCK });
    running.push(third);
    await third.settle();
    expect(count(await typesOn(third, candidateStream(candidateId)), 'CertificateCodeReserved')).toBe(1);
  });

  it('the journeys run with tokens that carry custom:ledger_id and an account sub that is not the ledger id', async () => {
    const L = await startTestLedger({ clock: CLOCK });
    running.push(L);
    const { candidateId } = await sessionReadyForPv(L);
    const claims = await verifyLocalToken(L.keys, `Bearer ${await L.token('candidate', candidateId)}`);
    expect(claims).toMatchObject({ 'custom:ledger_id': candidateId, 'cognito:groups': '[candidate]' });
    expect(claims!.sub).not.toBe(candidateId);
    expect((await L.call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).status).toBe(200);
  });
});
