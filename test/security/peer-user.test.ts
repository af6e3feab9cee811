import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerUidIn, peerUser, readProcNet, socketAddressBytes, type LoopbackConnection, type ProcNetReader } from '../../functions/local/peer-user.js';
import { localControls } from '../../functions/twin/local-controls.js';
import type { TwinClock } from '../../functions/twin/twin-clock.js';
import { eventually } from '../support/eventually.js';
import { startTestLedger, type LocalLedger } from '../support/local-ledger.js';

// Captured on this machine (a connection from 127.0.0.1:59962 to a server on 127.0.0.1:44647, then one over ::1),
// the client's uid changed to 65534 (nobody) and a TIME_WAIT row of the same ports added, as another user's would be.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   1: 0100007F:AE67 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2613937 1 0000000001de81eb 100 0 0 10 0
   2: 0100007F:AE67 0100007F:EA3A 01 00000000:00000000 00:00000000 00000000  1000        0 2613939 1 00000000d3bf0b6e 20 0 0 10 -1
   3: 0100007F:EA3A 0100007F:AE67 01 00000000:00000000 00:00000000 00000000 65534        0 2613938 2 0000000051ffcc1d 20 0 0 10 -1
   4: 0200007F:EA3A 0100007F:AE67 01 00000000:00000000 00:00000000 00000000  4242        0 2613940 2 0000000051ffcc1e 20 0 0 10 -1
   5: 0100007F:EA3B 0100007F:AE67 06 00000000:00000000 03:00000E64 00000000     0        0 0 3 00000000764a0ab9
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:958B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2616097 1 00000000e7c242a2 100 0 0 10 0
   1: 00000000000000000000000001000000:DBC2 00000000000000000000000001000000:958B 01 00000000:00000000 00:00000000 00000000  1001        0 2616098 2 0000000008513beb 20 0 0 10 -1
   2: 00000000000000000000000001000000:958B 00000000000000000000000001000000:DBC2 01 00000000:00000000 00:00000000 00000000  1000        0 2616099 1 000000000ff91020 20 0 0 10 -1
   3: 0000000000000000FFFF00000100007F:AE67 0000000000000000FFFF00000100007F:EA3C 01 00000000:00000000 00:00000000 00000000  1000        0 2616100 1 000000000ff91021 20 0 0 10 -1
`;
const v4: LoopbackConnection = { remoteAddress: '127.0.0.1', remotePort: 59962, localAddress: '127.0.0.1', localPort: 44647 };

describe('the peer of a loopback connection, read from /proc/net/tcp (issue 17, D1)', () => {
  it("finds the peer's own row: its local end is our remote end, ESTABLISHED, and reads its uid", () => {
    expect(peerUidIn([TCP, TCP6], v4, true)).toBe(65534);
    expect(peerUidIn([TCP, TCP6], { remoteAddress: '::1', remotePort: 56258, localAddress: '::1', localPort: 38283 }, true)).toBe(1001);
    // A server on :: sees an IPv4 client as ::ffff:127.0.0.1; the client's own socket is in /proc/net/tcp.
    expect(peerUidIn([TCP, TCP6], { ...v4, remoteAddress: '::ffff:127.0.0.1', localAddress: '::ffff:127.0.0.1' }, true)).toBe(65534);
  });

  it('finds no peer for a port no ESTABLISHED row has, for another address, or on the server side of the pair', () => {
    expect(peerUidIn([TCP, TCP6], { ...v4, remotePort: 59963 }, true)).toBeUndefined(); // TIME_WAIT only
    expect(peerUidIn([TCP, TCP6], { ...v4, remoteAddress: '127.0.0.3' }, true)).toBeUndefined();
    expect(peerUidIn([TCP, TCP6], { ...v4, localPort: 1 }, true)).toBeUndefined();
    expect(peerUidIn([''], v4, true)).toBeUndefined();
  });

  it('reads addresses as Node prints them', () => {
    expect(socketAddressBytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(socketAddressBytes('::ffff:127.0.0.1')).toEqual(socketAddressBytes('127.0.0.1'));
    expect(socketAddressBytes('fe80::1:2')).toEqual([0xfe, 0x80, ...Array(10).fill(0), 0, 1, 0, 2]);
    expect(socketAddressBytes('1::2::3')).toBeUndefined();
  });

  it("a peer is this user's when its uid is ours; root is another user unless we are root; no /proc: cannot be told", () => {
    const tables = () => [TCP, TCP6];
    expect(peerUser(v4, tables, 65534)).toBe('same-user');
    expect(peerUser(v4, tables, 1000)).toBe('other-user');
    expect(peerUser({ ...v4, remotePort: 59963 }, tables, 1000)).toBe('unknown-peer');
    expect(peerUser(v4, () => undefined, 1000)).toBe('not-supported');
  });
});

const isRoot = process.getuid?.() === 0;
/** The machine's tables with every socket's uid made another than ours: what a peer of another user looks like. */
const asAnotherUser: ProcNetReader = () =>
  readProcNet()?.map((table) =>
    table.replace(/^(\s*\d+:(?:\s+\S+){6}\s+)(\d+)/gm, (_, head: string, uid: string) => `${head}${Number(uid) === process.getuid!() ? process.getuid!() + 1 : uid}`),
  );

/**
 * POST /_local/tokens from a process of another user: a real one (nobody) when the tests run as root, as CI does;
 * otherwise the same request from this user with the tables read as if its socket were another user's.
 */
async function fromAnotherUser(url: string, path: string, body: unknown, setForged: (on: boolean) => void): Promise<{ status: number; json: any }> {
  if (!isRoot) {
    setForged(true);
    try {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    } finally {
      setForged(false);
    }
  }
  const script = `fetch(process.argv[1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.argv[2] })
    .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, json: await r.json() })))`;
  const child = spawn(process.execPath, ['-e', script, `${url}${path}`, JSON.stringify(body)], { uid: 65534, gid: 65534, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  await new Promise((resolve) => child.on('close', resolve));
  expect(err).toBe('');
  return JSON.parse(out);
}

describe('the local controls answer the user who runs the ledger only (issue 17, D1)', () => {
  let L: LocalLedger;
  let forged = false;
  const setForged = (on: boolean) => {
    forged = on;
  };
  beforeAll(async () => {
    L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z', procNet: () => (forged ? asAnotherUser() : readProcNet()) });
  }, 60_000);
  afterAll(async () => L?.stop());

  it('another user of this machine gets no token and cannot move the clock: 403 local-only', async () => {
    const token = await fromAnotherUser(L.url, '/_local/tokens', { role: 'dreets', ledgerId: 'evil', region: 'Bretagne' }, setForged);
    expect(token.status).toBe(403);
    expect(token.json).toMatchObject({ type: '/problems/local-only', status: 403 });
    expect(token.json.token).toBeUndefined();
    const clock = await fromAnotherUser(L.url, '/_local/clock', { now: '2030-01-01T00:00:00Z' }, setForged);
    expect(clock.status).toBe(403);
    expect(L.clock.now()).toBe('2025-09-01T08:00:00.000Z');
  });

  it('the user who runs it gets its token and moves the clock, with no secret, as the sign-in page and the smoke test do', async () => {
    const token = await L.call('POST', '/_local/tokens', { body: { role: 'dreets', ledgerId: 'agent-1', region: 'Bretagne' } });
    expect(token.status, token.text).toBe(200);
    expect(token.json.role).toBe('dreets');
    const clock = await L.call('POST', '/_local/clock', { body: { now: '2025-09-02T08:00:00Z' } });
    expect(clock.status, clock.text).toBe(200);
  });

  it("an erased candidate's account no longer signs in: 403 personal-data-erased", async () => {
    const agent: ['dreets', string, string] = ['dreets', 'agent-1', 'Bretagne'];
    const { centreId } = (await L.call('POST', '/centres', { as: agent, body: { name: 'Centre Rennes', region: 'Bretagne' } })).json;
    const { candidateId } = (await L.call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Martin', givenNames: 'Léa', birthDate: '1995-06-14' } })).json;
    // The invitation reads the candidate's record, which the projector writes after the commit.
    await eventually(async () => {
      const invited = await L.call('POST', `/candidates/${candidateId}/accounts`, { as: ['centre', centreId], body: { email: 'lea.martin@exemple.fr' } });
      return invited.status === 201 ? invited : undefined;
    }, "the candidate's account");
    expect((await L.call('POST', '/_local/tokens', { body: { email: 'lea.martin@exemple.fr' } })).status).toBe(200);
    expect((await L.call('DELETE', `/candidates/${candidateId}/personal-data`, { as: agent })).status).toBe(204);
    const refused = await L.call('POST', '/_local/tokens', { body: { email: 'lea.martin@exemple.fr' } });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json.type).toBe('/problems/personal-data-erased');
  });
});

describe("the twin's local controls answer the user who runs the twin only (issue 17, D1)", () => {
  let server: Server;
  let url: string;
  let forged = false;
  const setForged = (on: boolean) => {
    forged = on;
  };
  beforeAll(async () => {
    const controls = localControls({
      clock: { virtual: false } as unknown as TwinClock,
      advance: async () => {},
      token: async () => 'header.eyJjb2duaXRvOmdyb3VwcyI6WyJkcmVldHMiXX0.signature',
      signInAs: async () => 'never',
      procNet: () => (forged ? asAnotherUser() : readProcNet()),
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => void controls(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('another user gets 403 local-only; this user gets the token', async () => {
    const refused = await fromAnotherUser(url, '/_local/tokens', { role: 'dreets', ledgerId: 'evil', region: 'Bretagne' }, setForged);
    expect(refused).toMatchObject({ status: 403, json: { type: '/problems/local-only' } });
    const res = await fetch(`${url}/_local/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'dreets', ledgerId: 'agent-1' }),
    });
    expect(res.status).toBe(200);
  });
});
