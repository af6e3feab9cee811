import { Agent, type AgentOptions } from 'node:http';
import type { Socket } from 'node:net';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/types';

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
 * With the SDK's `cacheMiddleware`: the middleware stack is resolved once per command class, not on every call
 * (sorting the stack and copying each entry cost about a third of a GetItem's client CPU, measured); the ledger
 * never changes a client's stack after its first call.
 */
export function dynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  const client = new DynamoDBClient({ cacheMiddleware: true, ...config });
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/**
 * What the embedding process sends dynalite on its socket in place of a signature: dynalite refuses a request
 * without an Authorization header and its date but never checks the signature, and nothing else reaches that
 * socket. Signing each call (a canonical request, two hashes and four HMACs) cost a third of the CPU of a GetItem
 * to the embedded dynalite.
 */
const SOCKET_DATE = '20200101';
export const SOCKET_AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=local/${SOCKET_DATE}/eu-west-3/dynamodb/aws4_request, SignedHeaders=host, Signature=unsigned`;

const socketSigner = {
  sign: async (request: HttpRequest) => {
    request.headers.authorization = SOCKET_AUTHORIZATION;
    request.headers['x-amz-date'] = `${SOCKET_DATE}T000000Z`;
    return request;
  },
};

/**
 * A client for the embedded dynalite: same SDK, same calls as in AWS, local endpoint. `npm start`'s dynalite is behind
 * a guard that checks the data dir's credentials (functions/local/stand-in-guard.ts); the process that embeds it
 * reaches its socket directly (`socketPath`), where no signature is checked, so none is computed; a bare one in a
 * test takes any.
 */
export function localDynamoClient(endpoint: string, credentials = { accessKeyId: 'local', secretAccessKey: 'local' }, socketPath?: string): DynamoDBClient {
  return dynamoClient({
    endpoint,
    region: 'eu-west-3',
    credentials,
    maxAttempts: 3,
    ...(socketPath ? { requestHandler: { httpAgent: new UnixSocketAgent(socketPath) }, signer: socketSigner } : {}),
  });
}
