import { Agent, type AgentOptions } from 'node:http';
import type { Socket } from 'node:net';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * Connections to a unix socket instead of the endpoint's host and port, kept alive and reused like any agent's:
 * the process that embeds a stand-in reaches it on its socket, without the loopback guard that checks the
 * signatures of the other processes (functions/local/stand-in-guard.ts).
 */
export class UnixSocketAgent extends Agent {
  constructor(
    private readonly socketPath: string,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, ...options });
  }

  override createConnection(options: object, callback?: (error: Error | null, socket: Socket) => void) {
    // @ts-expect-error Agent's createConnection is net.createConnection: a `path` connects to a unix socket.
    return super.createConnection({ ...options, path: this.socketPath }, callback);
  }
}

/**
 * The ledger's DynamoDB client, on AWS as locally. Without the SDK's logger middleware: it filters the sensitive
 * fields of every input and output, walking each item's attributes, to hand them to the client's logger, which is
 * the SDK's no-op one (the ledger logs with Powertools): 4 % of the CPU of an append to a stream not yet read.
 */
export function dynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  const client = new DynamoDBClient(config);
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/**
 * A client for the embedded dynalite: same SDK, same calls as in AWS, local endpoint. `npm start`'s dynalite is behind
 * a guard that checks the data dir's credentials (functions/local/stand-in-guard.ts); the process that embeds it
 * reaches its socket directly (`socketPath`); a bare one in a test takes any.
 */
export function localDynamoClient(endpoint: string, credentials = { accessKeyId: 'local', secretAccessKey: 'local' }, socketPath?: string): DynamoDBClient {
  return dynamoClient({
    endpoint,
    region: 'eu-west-3',
    credentials,
    maxAttempts: 3,
    ...(socketPath ? { requestHandler: { httpAgent: new UnixSocketAgent(socketPath) } } : {}),
  });
}
