import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import { z } from 'zod';

/**
 * The embedded stand-ins (dynalite, s3rver) check no signature: dynalite takes any, s3rver any anonymous request.
 * So neither listens on a port: each serves a unix socket inside a 0700 folder, and the only way in is this guard
 * on loopback, which verifies each request's AWS Signature V4 against credentials made at random for the data
 * dir (a file 0600 in it) before it forwards the request to the socket. A process of another user cannot open the
 * socket, and without the secret cannot sign (README, Security).
 */

export interface StandInCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const Credentials = z.object({ accessKeyId: z.string().min(16), secretAccessKey: z.string().min(32) });

/** The data dir's credentials for its stand-ins: made on first use, kept 0600 beside the data. */
export function standInCredentials(dataDir: string): StandInCredentials {
  const file = join(dataDir, 'stand-in-credentials.json');
  if (existsSync(file)) return Credentials.parse(JSON.parse(readFileSync(file, 'utf8')));
  const made = { accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(made), { mode: 0o600, flag: 'wx' });
  return made;
}

/**
 * A folder for the stand-ins' sockets, 0700: in the data dir, or (a socket path is limited to about 100 bytes)
 * a private folder under the system's temporary one when the data dir's path is too long.
 */
export function socketFolder(dataDir: string): { path: string; dispose(): void } {
  const inDataDir = join(dataDir, 'sockets');
  if (Buffer.byteLength(join(inDataDir, 'dynamodb.sock')) < 100) {
    rmSync(inDataDir, { recursive: true, force: true }); // sockets a killed process left behind
    mkdirSync(inDataDir, { mode: 0o700 });
    chmodSync(inDataDir, 0o700);
    return { path: inDataDir, dispose: () => rmSync(inDataDir, { recursive: true, force: true }) };
  }
  const made = mkdtempSync(join(tmpdir(), 'ledger-sockets-'));
  chmodSync(made, 0o700);
  return { path: made, dispose: () => rmSync(made, { recursive: true, force: true }) };
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class NodeSha256 implements Checksum {
  private hash;
  constructor(private readonly secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: Uint8Array | string) {
    this.hash.update(toBuffer(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

const toBuffer = (data: SourceData) =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
/** The signer's clock may differ from ours by this much, as AWS allows. */
const MAX_SKEW_MS = 15 * 60_000;
/** Declared payload hashes that are no hash of the body: unsigned, or aws-chunked (each chunk carries its own). */
const notABodyHash = (declared: string) => declared === 'UNSIGNED-PAYLOAD' || declared.startsWith('STREAMING-');

/** Why a request is refused, or undefined when its signature is the one our secret gives. */
export async function signatureProblem(credentials: StandInCredentials, req: IncomingMessage, body: Buffer, now = Date.now()): Promise<string | undefined> {
  const authorization = req.headers.authorization;
  if (!authorization) return 'unsigned request';
  const m = AUTHORIZATION.exec(authorization);
  if (!m) return 'not an AWS Signature V4 Authorization header';
  const [, accessKeyId, , region, service, signedHeaderList, signature] = m as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) return 'unknown access key';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!when) return 'no X-Amz-Date';
  const signingDate = new Date(Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!));
  if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) return 'signed too long ago or in the future';
  const signed = signedHeaderList!.split(';');
  if (!signed.includes('host')) return 'the Host header is not signed';
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // A payload hash the client declares must be the body's: otherwise a signed request could carry another body.
  const declared = req.headers['x-amz-content-sha256'];
  if (typeof declared === 'string' && !notABodyHash(declared) && declared !== createHash('sha256').update(body).digest('hex')) {
    return 'the body is not the one signed';
  }
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const seen = query[k];
    query[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  // S3 signs its path as sent (already escaped); other services escape it once more, as their SDK clients do.
  const signer = signerFor(credentials, region!, service!);
  const [hostname, port] = headers.host!.split(':');
  const expected = await signer.sign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname: hostname!, ...(port ? { port: Number(port) } : {}), path: url.pathname, query, headers, body },
    { signingDate },
  );
  const ours = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? expected.headers.Authorization))?.[1] ?? '';
  if (ours.length !== signature!.length || !timingSafeEqual(Buffer.from(ours), Buffer.from(signature!))) return 'signature does not match';
  return undefined;
}

/**
 * One signer per (credentials, region, service), kept: a signer derives its signing key (four HMACs) once a day and
 * caches it, where a signer made per request derived it for every request.
 */
const signers = new WeakMap<StandInCredentials, Map<string, SignatureV4>>();
function signerFor(credentials: StandInCredentials, region: string, service: string): SignatureV4 {
  const mine = signers.get(credentials) ?? new Map<string, SignatureV4>();
  signers.set(credentials, mine);
  let signer = mine.get(`${region}|${service}`);
  if (!signer) {
    // Bounded: the region and service come from the request, so a caller could name many.
    if (mine.size >= 16) mine.clear();
    signer = new SignatureV4({ credentials, region, service, sha256: NodeSha256, uriEscapePath: service !== 's3', applyChecksum: false });
    mine.set(`${region}|${service}`, signer);
  }
  return signer;
}

export interface SigV4Guard {
  /** The loopback address clients sign for. */
  endpoint: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The guard in front of one stand-in's socket. `forwardAuthorization: false` strips the signature before
 * forwarding (s3rver checks signatures of its own key, and takes the request as anonymous without one).
 */
export async function startSigV4Guard(options: {
  socketPath: string;
  credentials: StandInCredentials;
  forwardAuthorization: boolean;
  /** The refusal in the service's dialect. */
  refusal: (reason: string) => { contentType: string; body: string };
  /** Requests the real service answers without credentials (cognito-local's sign-in, its JWKS): passed unchecked. */
  unsigned?: (req: IncomingMessage) => boolean;
}): Promise<SigV4Guard> {
  const agent = new Agent({ keepAlive: true });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const problem = options.unsigned?.(req) ? undefined : await signatureProblem(options.credentials, req, body).catch((error: Error) => `unreadable signature: ${error.message}`);
    if (problem) {
      const refusal = options.refusal(problem);
      res.writeHead(403, { 'content-type': refusal.contentType, 'content-length': Buffer.byteLength(refusal.body) });
      res.end(refusal.body);
      return;
    }
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    if (!options.forwardAuthorization) delete headers.authorization;
    await new Promise<void>((resolve, reject) => {
      const out = httpRequest({ socketPath: options.socketPath, agent, method: req.method, path: req.url, headers }, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
        upstream.on('end', resolve);
        upstream.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  // As the stand-ins themselves: clients keep connections open between calls.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const dynamoRefusal = (reason: string) => ({
  contentType: 'application/x-amz-json-1.0',
  body: JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException', message: `The request signature is not valid (${reason})` }),
});

export const s3Refusal = (reason: string) => ({
  contentType: 'application/xml',
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>The request signature is not valid (${reason})</Message></Error>`,
});
