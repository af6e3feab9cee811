import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/spawned-ledger.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function startNpm(dataDir: string, port: number) {
  const child = spawn('npm', ['start'], { cwd: projectRoot, env: { ...process.env, PORT: String(port), LEDGER_DATA_DIR: dataDir }, stdio: 'ignore' });
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      /* not yet */
    }
  }
  child.kill('SIGKILL');
  throw new Error('npm start did not answer /health');
}

const answers = async (port: number) =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.ok,
    () => false,
  );

describe('npm start as a person or a process manager runs it (issue 16)', () => {
  it('SIGTERM to npm stops the server itself, and the next start on the same data dir works', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-npm-'));
    const port = await freePort();
    const first = await startNpm(dataDir, port);
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGTERM');
    await exited;
    for (const until = Date.now() + 15_000; Date.now() < until && (await answers(port)); ) await new Promise((r) => setTimeout(r, 200));
    expect(await answers(port)).toBe(false); // no orphan server left behind
    const second = await startNpm(dataDir, port);
    expect((await (await fetch(`http://127.0.0.1:${port}/certifications`)).json()) as unknown[]).toHaveLength(4);
    const stopped = new Promise((resolve) => second.once('exit', resolve));
    second.kill('SIGTERM');
    await stopped;
  }, 120_000);
});
