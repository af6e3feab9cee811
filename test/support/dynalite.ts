import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { localDynamoClient } from '../../functions/adapters/dynamodb-client.js';

/** An in-process dynalite on a free port, in memory, reached through the real AWS SDK. */
export async function startDynalite() {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
