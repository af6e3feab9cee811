// Preloaded (`node --import tsx --import test/support/listen-probe.ts …`) into a one-off command by
// test/security/one-off-commands.test.ts: every TCP port the process opens is asked, unsigned and before the
// command goes on, what an attacker on this machine would ask a stand-in (DynamoDB ListTables, S3 ListBuckets),
// and the answers are appended to LISTEN_PROBE_FILE, one JSON line per listener.
import { appendFileSync } from 'node:fs';
import { request } from 'node:http';
import { type AddressInfo, Server } from 'node:net';

const file = process.env.LISTEN_PROBE_FILE;
if (!file) throw new Error('LISTEN_PROBE_FILE is not set');

const ask = (port: number, method: string, headers: Record<string, string>, body?: string) =>
  new Promise<{ status: number; body: string }>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.slice(0, 300) }));
    });
    req.on('error', (error) => resolve({ status: 0, body: error.message }));
    req.end(body);
  });

async function probe(server: Server) {
  const address = server.address();
  if (!address || typeof address === 'string') return; // a unix socket: its 0700 folder keeps other users out
  const { port, address: host } = address as AddressInfo;
  const dynamo = await ask(port, 'POST', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, '{}');
  const s3 = await ask(port, 'GET', {});
  appendFileSync(file!, `${JSON.stringify({ host, port, dynamo, s3 })}\n`);
}

const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]) {
  const last = args.length - 1;
  const callback = typeof args[last] === 'function' ? (args[last] as () => void) : undefined;
  // The command's own callback (the end of its `await listen`) runs once the probe has its answers.
  if (callback) args[last] = () => void probe(this).finally(() => callback.call(this));
  else this.once('listening', () => void probe(this));
  return (listen as (...a: unknown[]) => Server).apply(this, args);
} as typeof Server.prototype.listen;
