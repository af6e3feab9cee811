import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';
import { spawnLedger } from '../support/spawned-ledger.js';

/** A raw request, so that Host, Origin and the content type are exactly what an attacker's page or program sends. */
function raw(L: LocalLedger, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  const url = new URL(L.url.replace('localhost', '127.0.0.1'));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers }, setHost: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local controls cannot be reached from outside this machine (issue 17)', () => {
  let L: LocalLedger;
  const host = () => `localhost:${new URL(L.url).port}`;
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
  });
  afterAll(async () => L?.stop());

  it('the server listens on 127.0.0.1 unless LEDGER_HOST says otherwise', async () => {
    const { startLocalLedger } = await import('../../functions/local/runtime.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const other = await startLocalLedger({ dataDir: mkdtempSync(join(tmpdir(), 'ledger-bind-')), port: 0, logLevel: 'SILENT', inMemory: true });
    try {
      expect((await fetch(`${other.url}/health`)).ok).toBe(true);
      expect(other.boundAddress).toBe('127.0.0.1');
    } finally {
      await other.stop();
    }
  });

  it('a cross-origin simple request (text/plain, as any web page may send) is refused, and the clock does not move', async () => {
    const res = await raw(L, '/_local/clock', JSON.stringify({ now: '2030-01-01T00:00:00Z' }), { host: host(), 'content-type': 'text/plain', origin: 'https://attacker.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).type).toBe('/problems/local-only');
    const plain = await raw(L, '/_local/clock', JSON.stringify({ now: '2030-01-01T00:00:00Z' }), { host: host(), 'content-type': 'text/plain' });
    expect(plain.status).toBe(403);
    expect(L.clock.now()).toBe('2025-09-01T08:00:00.000Z');
  });

  it('a request addressed to another name (DNS rebinding) or from another origin is refused', async () => {
    const body = JSON.stringify({ now: '2026-01-01T00:00:00Z' });
    expect((await raw(L, '/_local/clock', body, { host: 'rebound.attacker.example', 'content-type': 'application/json' })).status).toBe(403);
    expect((await raw(L, '/_local/clock', body, { host: host(), 'content-type': 'application/json', origin: 'https://attacker.example' })).status).toBe(403);
    expect(
      (await raw(L, '/_local/tokens', JSON.stringify({ role: 'dreets', ledgerId: 'agent-1' }), { host: 'rebound.attacker.example', 'content-type': 'application/json' })).status,
    ).toBe(403);
    expect(L.clock.now()).toBe('2025-09-01T08:00:00.000Z');
  });

  it('a token is never replayed from an Idempotency-Key', async () => {
    const body = JSON.stringify({ role: 'dreets', ledgerId: 'agent-1' });
    const headers = { host: host(), 'content-type': 'application/json', 'idempotency-key': 'k-local-1' };
    const first = await raw(L, '/_local/tokens', body, headers);
    const second = await raw(L, '/_local/tokens', body, headers);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });

  it('the clock refuses instants past 9999 and moves of more than a century, and the ledger keeps answering', async () => {
    for (const now of ['9999-12-31T23:59:59Z', '2200-01-01T00:00:00Z']) {
      const res = await L.call('POST', '/_local/clock', { body: { now } });
      expect(res.status, res.text).toBe(422);
      expect(['/problems/clock-out-of-range', '/problems/clock-move-too-far']).toContain(res.json.type);
    }
    expect(L.clock.now()).toBe('2025-09-01T08:00:00.000Z');
    expect((await L.call('GET', '/certifications')).json).toHaveLength(4);
    const moved = await L.call('POST', '/_local/clock', { body: { now: '2026-01-01T00:00:00Z' } });
    expect(moved.json).toEqual({ now: '2026-01-01T00:00:00.000Z' });
  });

  it('npm start keeps its data dir to its user: the folder 0700, every file in it 0600 or stricter', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ledger-modes-')), 'data');
    const spawned = await spawnLedger({ dataDir });
    try {
      expect((await spawned.call('GET', '/health')).status).toBe(200);
    } finally {
      await spawned.stop();
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(statSync(join(f.parentPath, f.name)).mode & 0o077, join(f.parentPath, f.name)).toBe(0);
  }, 60_000);
});
