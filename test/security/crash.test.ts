import { describe, expect, it } from 'vitest';
import { crashScenario, type CrashReport } from './crash.js';

/** test/security/crash.ts: SIGKILL in the middle of appends and session workflows, then a restart. */
describe('crash safety of the local ledger (SIGKILL mid-stream, restart on the same data dir)', () => {
  let report: CrashReport;

  it('runs the scenario: writes acknowledged, PV validations acknowledged, workflows cut in their middle', async () => {
    report = await crashScenario();
    expect(report.acknowledged).toBeGreaterThan(10);
    expect(report.atKill.pvAcknowledged).toBeGreaterThanOrEqual(1);
    expect(report.atKill.executionsRunning).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('at the kill: every chain holds, no commit is half-written, every acknowledged write and PV validation is in the ledger', () => {
    expect(report.atKill.broken).toEqual([]);
    expect(report.atKill.halfWritten).toEqual([]);
    expect(report.atKill.lost).toEqual([]);
    expect(report.atKill.pvNotRecorded).toEqual([]);
  });

  it('after the restart: the executions cut short resume and complete, their certificates verify, writes go on', () => {
    expect(report.afterRestart.resumed).toBeGreaterThanOrEqual(1);
    expect(report.afterRestart.sessionsCompleted).toBe(report.afterRestart.sessionsExpected);
    expect(report.afterRestart.unverifiable).toEqual([]);
    expect(report.afterRestart.writeAfterRestart).toBe(201);
  });

  it('after a clean stop: verify-ledger is clean, every execution and lost reaction ran, read models equal a rebuild', () => {
    expect(report.final.verifyLedgerExit).toBe(0);
    expect(report.final.verifyLedgerOutput).toBe('ledger intact');
    expect(report.final.broken).toEqual([]);
    expect(report.final.halfWritten).toEqual([]);
    expect(report.final.lost).toEqual([]);
    expect(report.final.executionsNotSucceeded).toEqual([]);
    expect(report.final.reactionsWithoutExecution).toEqual([]);
    expect(report.final.readModelItems).toBeGreaterThan(50);
    expect(report.final.readModelDifferences).toEqual([]);
  });
});
