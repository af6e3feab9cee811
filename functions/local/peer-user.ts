import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

/**
 * Which OS user is at the other end of a loopback TCP connection. Loopback alone does not make a caller this
 * user: any account of the machine reaches 127.0.0.1, and the local controls mint tokens and move the clock, so
 * they would undo what the 0700 data dir and the stand-ins' signatures keep from other users (issue 17). Linux
 * lists every socket of the network namespace, with the uid that opened it, in /proc/net/tcp and /proc/net/tcp6:
 * the peer's socket is the one whose local end is the request's remote end and whose remote end is ours.
 */

/** Both ends of an accepted connection, as the server's socket reports them. */
export interface LoopbackConnection {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
}

/** The text of /proc/net/tcp and /proc/net/tcp6, or undefined where the system has no such table (macOS, BSDs). */
export type ProcNetReader = () => string[] | undefined;

export const readProcNet: ProcNetReader = () => {
  const tables: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      tables.push(readFileSync(file, 'latin1'));
    } catch (error) {
      // A kernel without IPv6 has no tcp6; one without /proc/net/tcp cannot tell the peer's user at all.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return tables.length ? tables : undefined;
};

const ESTABLISHED = '01';

/**
 * An address of /proc/net/tcp{,6} ("0100007F", 32 hex digits for IPv6) as 16 bytes, an IPv4 one mapped into IPv6:
 * the kernel prints each 32-bit word in the host's byte order.
 */
function procAddressBytes(hex: string, littleEndian: boolean): number[] | undefined {
  if (!/^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32})$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const wordBytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(word + i, word + i + 2), 16));
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes));
  }
  return bytes.length === 4 ? [...Array(10).fill(0), 0xff, 0xff, ...bytes] : bytes;
}

/** An address as Node prints it ("127.0.0.1", "::1", "::ffff:127.0.0.1") as 16 bytes, IPv4 mapped into IPv6. */
export function socketAddressBytes(address: string): number[] | undefined {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(address);
  if (v4) return [...Array(10).fill(0), 0xff, 0xff, ...v4.slice(1).map(Number)];
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const all = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const sameBytes = (a: number[] | undefined, b: number[] | undefined) => !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The uid of the peer's socket in the tables' text: the ESTABLISHED row whose local end is the connection's remote
 * end and whose remote end is the connection's local end; undefined when no row is (the peer already left).
 */
export function peerUidIn(tables: readonly string[], connection: LoopbackConnection, littleEndian = endianness() === 'LE'): number | undefined {
  const peer = socketAddressBytes(connection.remoteAddress);
  const us = socketAddressBytes(connection.localAddress);
  for (const table of tables) {
    for (const line of table.split('\n')) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !/^\d+:$/.test(fields[0]!) || fields[3] !== ESTABLISHED) continue;
      const [localHex, localPort] = fields[1]!.split(':');
      const [remoteHex, remotePort] = fields[2]!.split(':');
      if (Number.parseInt(localPort ?? '', 16) !== connection.remotePort || Number.parseInt(remotePort ?? '', 16) !== connection.localPort) continue;
      if (!sameBytes(procAddressBytes(localHex ?? '', littleEndian), peer) || !sameBytes(procAddressBytes(remoteHex ?? '', littleEndian), us)) continue;
      const uid = Number(fields[7]);
      if (Number.isInteger(uid)) return uid;
    }
  }
  return undefined;
}

/** What the server can tell of a peer: its user is ours, another's, or (no /proc/net/tcp) cannot be told. */
export type PeerUser = 'same-user' | 'other-user' | 'unknown-peer' | 'not-supported';

/**
 * Whether the peer of a loopback connection runs as this process's user. A uid-0 peer counts as another user
 * unless the server itself runs as root: root can read the data dir anyway, but nothing else should borrow it.
 */
export function peerUser(connection: LoopbackConnection, read: ProcNetReader = readProcNet, ownUid: number | undefined = process.getuid?.()): PeerUser {
  if (ownUid === undefined) return 'not-supported';
  const tables = read();
  if (!tables) return 'not-supported';
  const uid = peerUidIn(tables, connection);
  if (uid === undefined) return 'unknown-peer';
  return uid === ownUid ? 'same-user' : 'other-user';
}

/** Why a local control is refused to this peer, or undefined when its user is ours (or cannot be told here). */
export function peerUserRefusal(connection: Partial<LoopbackConnection>, read: ProcNetReader = readProcNet, ownUid: number | undefined = process.getuid?.()): string | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = connection;
  if (remoteAddress === undefined || remotePort === undefined || localAddress === undefined || localPort === undefined) {
    return 'the local controls could not tell which user is calling';
  }
  switch (peerUser({ remoteAddress, remotePort, localAddress, localPort }, read, ownUid)) {
    case 'same-user':
    case 'not-supported':
      return undefined;
    case 'other-user':
      return 'the local controls answer the user who runs the ledger only';
    case 'unknown-peer':
      return 'the local controls could not tell which user is calling';
  }
}

let warned = false;
/**
 * Said once, on stderr, where the system cannot tell a loopback peer's user: there, any user of the machine can
 * use the local controls (README, local controls).
 */
export function warnIfPeerUserCannotBeTold(read: ProcNetReader = readProcNet): void {
  if (warned || (process.getuid?.() !== undefined && read())) return;
  warned = true;
  process.stderr.write(
    'certification-ledger: this system has no /proc/net/tcp, so the local controls (/_local/clock, /_local/tokens) cannot tell which user calls them: any user of this machine can use them\n',
  );
}
