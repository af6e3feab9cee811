import { describe, expect, it } from 'vitest';
import { candidateStream } from '../../domain/candidate.js';
import { renderWorkflow } from '../../infra/workflows/render.js';
import { sessionWorkflow } from '../../infra/workflows/session.js';
import { recordedEvents } from '../../functions/shared/command-handler.js';
import { callRoute } from '../support/call-route.js';
import { memoryDeps, TestClock, type MemoryDepsOptions } from '../support/memory-deps.js';
import { scenario, type Caller } from '../support/scenario.js';
import { localExecutionArn } from '../../functions/local/local-workflows.js';
import { restartSessionWorkflow, sessionExecutionName } from '../../functions/reactions/session-workflow-trigger.js';

const RNCP = 'RNCP38665';

async function world(workflowOptions: MemoryDepsOptions['workflowOptions']) {
  const clock = new TestClock('2025-09-01T08:00:00.000Z');
  const h = await memoryDeps({ clock, workflowOptions });
  const call: Caller = async (method, path, opts = {}) => {
    const res = await callRoute(h.deps, method, path, { as: opts.as, body: opts.body, headers: opts.headers });
    await h.settle();
    return res;
  };
  const s = scenario(call);
  const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
  const jurors = await s.jurors(RNCP, 2, { validUntil: '2027-12-31' });
  const blocs = await s.blocs(RNCP);
  const [titre, partial, failed] = [await s.candidate(centreId, 'Moreau'), await s.candidate(centreId, 'Petit'), await s.candidate(centreId, 'Durand')];
  const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-06' }, jurors);
  for (const k of [titre, partial, failed]) await s.enrol(centreId, sessionId, k);
  clock.set('2025-10-06T15:00:00Z');
  await s.deliberate(
    sessionId,
    jurors,
    titre,
    'titre',
    blocs,
    blocs.map((b) => b.code),
  );
  await s.deliberate(sessionId, jurors, partial, 'ccp', blocs, ['RNCP38665BC01']);
  await s.deliberate(sessionId, jurors, failed, 'ccp', blocs, ['RNCP38665BC02']);
  return { h, s, sessionId, titre, partial, failed };
}

const eventsOf = async (h: Awaited<ReturnType<typeof memoryDeps>>, candidateId: string) => (await h.store.read(candidateStream(candidateId))).commits.flatMap(recordedEvents);

describe('the session workflow, run from the CDK definition by aws-local-stepfunctions', () => {
  it('renders the ASL the stack deploys: a Map over the candidates with retried, idempotent Tasks', () => {
    const { asl, taskModules } = renderWorkflow(sessionWorkflow);
    expect(asl.StartAt).toBe('LoadPvOutcomes');
    const map = (asl.States as Record<string, any>).ForEachCandidate;
    expect(map.Type).toBe('Map');
    expect(Object.keys(map.ItemProcessor.States)).toEqual(expect.arrayContaining(['RecordOutcome', 'IssueCertificates', 'NotifyResults', 'CandidateFailed']));
    expect(map.ItemProcessor.States.RecordOutcome.Retry).toEqual([
      expect.objectContaining({ ErrorEquals: ['StepRefused'], MaxAttempts: 0 }),
      expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 4 }),
    ]);
    expect(taskModules).toMatchObject({ RecordOutcome: 'workflows/record-session-outcome', IssueCertificates: 'workflows/issue-session-certificates' });
  });

  it('a failure injected after a write succeeds on retry, and no event is appended twice', async () => {
    const attempts = new Map<string, number>();
    let target = '';
    const { h, s, sessionId, titre, partial } = await world({
      // The first RecordOutcome and IssueCertificates of the titre candidate fail after their work is done, as a
      // Lambda that times out after writing would: the retry must find everything already there.
      interceptTask: async (state, input, run) => {
        const candidateId = (input as { candidate?: { candidateId: string } }).candidate?.candidateId;
        const key = `${state}:${candidateId}`;
        attempts.set(key, (attempts.get(key) ?? 0) + 1);
        const out = await run();
        if (candidateId === target && ['RecordOutcome', 'IssueCertificates'].includes(state) && attempts.get(key) === 1) throw new Error('Lambda timed out');
        return out;
      },
    });
    target = titre;
    await s.validatePv(sessionId);
    await h.settle();

    expect(attempts.get(`RecordOutcome:${titre}`)).toBe(2);
    expect(attempts.get(`IssueCertificates:${titre}`)).toBe(2);
    const events = await eventsOf(h, titre);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('CcpAcquired')).toBe(2);
    expect(count('TitreIssued')).toBe(1);
    expect(count('CertificateCodeReserved')).toBe(1);
    expect(count('CandidateNotified')).toBe(1);
    const code = events.find((e) => e.type === 'CertificateCodeReserved')!.data as { code: string };
    const certificate = await h.store.read(`certificate#${code.code}`);
    expect(certificate.commits.flatMap(recordedEvents).filter((e) => e.type === 'CertificateIssued')).toHaveLength(1);
    expect((await eventsOf(h, partial)).filter((e) => e.type === 'CcpAcquired').map((e) => (e.data as { bloc: string }).bloc)).toEqual(['RNCP38665BC01']);
  });

  it('a candidate that keeps failing is reported without blocking the others', async () => {
    let poisoned = '';
    const { h, s, sessionId, titre, partial, failed } = await world({
      interceptTask: async (state, input, run) => {
        if (state === 'RecordOutcome' && (input as { candidate: { candidateId: string } }).candidate.candidateId === poisoned) throw new Error('DynamoDB unavailable');
        return run();
      },
    });
    poisoned = failed;
    const { executionName } = await s.validatePv(sessionId);
    await h.settle();
    const execution = h.workflows.execution(localExecutionArn('session', executionName))!;
    expect(execution.status).toBe('SUCCEEDED');
    expect((execution.output as { failed: { candidateId: string }[] }).failed.map((f) => f.candidateId)).toEqual([failed]);
    expect((execution.output as { done: number }).done).toBe(2);
    expect((await eventsOf(h, titre)).some((e) => e.type === 'TitreIssued')).toBe(true);
    expect((await eventsOf(h, partial)).some((e) => e.type === 'CcpAcquired')).toBe(true);
    expect((await eventsOf(h, failed)).some((e) => e.type === 'CcpAcquired')).toBe(false);
  });

  it('an operator runs a partly failed session workflow again under a new name: the failed candidate is completed, the others untouched', async () => {
    let poisoned = '';
    const { h, s, sessionId, titre, partial, failed } = await world({
      interceptTask: async (state, input, run) => {
        if (state === 'RecordOutcome' && (input as { candidate: { candidateId: string } }).candidate.candidateId === poisoned) throw new Error('DynamoDB unavailable');
        return run();
      },
    });
    poisoned = failed;
    await s.validatePv(sessionId);
    await h.settle();
    const before = { titre: (await eventsOf(h, titre)).length, partial: (await eventsOf(h, partial)).length };

    // The cause is fixed; the first run's name is taken (90 days in AWS), so the re-run is attempt 2.
    poisoned = '';
    await expect(restartSessionWorkflow(h.deps, sessionId, 1)).rejects.toThrow(/attempt/);
    const rerun = await restartSessionWorkflow(h.deps, sessionId, 2);
    await h.settle();
    expect(rerun.executionName).toBe(`session-${sessionId}-attempt-2`);
    const execution = h.workflows.execution(localExecutionArn('session', rerun.executionName))!;
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({ done: 3, failed: [] });
    expect((await eventsOf(h, failed)).filter((e) => e.type === 'CcpAcquired').map((e) => (e.data as { bloc: string }).bloc)).toEqual(['RNCP38665BC02']);
    expect((await eventsOf(h, titre)).length).toBe(before.titre);
    expect((await eventsOf(h, partial)).length).toBe(before.partial);
    // The same attempt again is the same execution, not a third run.
    expect((await restartSessionWorkflow(h.deps, sessionId, 2)).executionId).toBe(rerun.executionId);
  });

  it('refuses to run the workflow of a session whose PV is not validated', async () => {
    const { h, sessionId } = await world({});
    await expect(restartSessionWorkflow(h.deps, sessionId, 2)).rejects.toThrow(/not validated/);
    expect(sessionExecutionName(sessionId)).toBe(`session-${sessionId}`);
  });
});
