import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The record a twin writes once its API answers (`<dataDir>/twin/running.json`), removed when it stops. A twin
 * killed (SIGKILL, a crash, a test run cut short) leaves it behind, naming a process that is gone or a port
 * where nothing answers: whoever reads it checks the twin is really there.
 */
const record = z.object({ pid: z.number().int().positive(), url: z.url(), cognitoUrl: z.url().optional() });
export type RunningRecord = z.infer<typeof record>;

export const runningFile = (dataDir: string) => join(dataDir, 'twin', 'running.json');

export type RecordedTwin =
  | { state: 'none' }
  | { state: 'alive'; url: string }
  /** `gone`: nothing can be running there (no process, or no readable record): the record may be removed. */
  | { state: 'stale'; file: string; why: string; gone: boolean };

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: a process of another user holds that pid; it is alive, whatever it is.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether anything answers HTTP at `url` (any status will do: a refused connection or silence will not). */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** The twin the record names, if it is really running: its process alive and its user pool (cognito-local) answering. */
export async function recordedTwin(dataDir: string, options: { timeoutMs?: number } = {}): Promise<RecordedTwin> {
  const file = runningFile(dataDir);
  if (!existsSync(file)) return { state: 'none' };
  let parsed: RunningRecord;
  try {
    parsed = record.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { state: 'stale', file, why: 'the record cannot be read', gone: true };
  }
  if (!processAlive(parsed.pid)) return { state: 'stale', file, why: `its process ${parsed.pid} is gone`, gone: true };
  const probe = parsed.cognitoUrl ?? `${parsed.url}/health`;
  if (!(await answers(probe, options.timeoutMs ?? 2000))) {
    return { state: 'stale', file, why: `process ${parsed.pid} lives but nothing answers at ${probe}`, gone: false };
  }
  return { state: 'alive', url: parsed.url };
}
