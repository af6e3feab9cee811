import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ScanCommand, type AttributeValue, type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import dynalite from 'dynalite';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';
import { localTokenKeys, signLocalToken } from '../../functions/local/local-token.js';
import type { Role } from '../../functions/shared/auth.js';

export const projectRoot = join(import.meta.dirname, '../..');

export type Call = (
  method: string,
  path: string,
  opts?: { as?: [Role, string, string?]; body?: unknown; headers?: Record<string, string> },
) => Promise<{ status: number; json: any; text: string }>;

export interface SpawnedLedger {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (the Powertools logger writes JSON lines there). */
  output(): string;
  call: Call;
  /** SIGTERM, as Ctrl-C: the server drains and closes. Resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

/**
 * `npm start` in a process of its own (node + tsx on functions/local/main.ts directly, so a signal reaches the
 * server itself and not an npm wrapper), on 127.0.0.1 and a free port, its output captured.
 */
export async function spawnLedger(options: { dataDir: string; clock?: string; env?: Record<string, string> }): Promise<SpawnedLedger> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LEDGER_DATA_DIR: options.dataDir,
      LEDGER_HOST: '127.0.0.1',
      PORT: '0',
      ...(options.clock ? { LEDGER_CLOCK: options.clock } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ledger did not start within 60 s:\n${output}`)), 60_000);
    const look = () => {
      const m = /is running on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ledger exited (${code}) before starting:\n${output}`));
    });
  });
  const keys = await localTokenKeys(options.dataDir);
  const tokens = new Map<string, string>();
  const call: Call = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.as) {
      const k = opts.as.join(':');
      if (!tokens.has(k)) tokens.set(k, await signLocalToken(keys, opts.as[0], opts.as[1], opts.as[2] ? { region: opts.as[2] } : {}));
      headers.authorization = `Bearer ${tokens.get(k)}`;
    }
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
  return {
    url,
    process: child,
    output: () => output,
    call,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Opens the data dir's dynalite (the server must be stopped: dynalite holds a lock on it) for `use`. */
export async function withDataDirDynamo<T>(dataDir: string, use: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = localDynamoClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    return await use(client);
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Every table's items, unmarshalled (a full Scan of each table the SDK lists). */
export async function scanAllTables(client: DynamoDBClient): Promise<Map<string, Record<string, any>[]>> {
  const tables = new Map<string, Record<string, any>[]>();
  let ExclusiveStartTableName: string | undefined;
  const names: string[] = [];
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName }));
    names.push(...(page.TableNames ?? []));
    ExclusiveStartTableName = page.LastEvaluatedTableName;
  } while (ExclusiveStartTableName);
  for (const name of names) tables.set(name, await scanTable(client, name));
  return tables;
}

export async function scanTable(client: DynamoDBClient, table: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
