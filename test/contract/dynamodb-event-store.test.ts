import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { commitToItem, DynamoEventStore, ensureEventsTable, itemToCommit } from '../../functions/adapters/dynamodb-event-store.js';
import { startDynalite } from '../support/dynalite.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('DynamoDB on dynalite', async () => {
  const dynamo = await startDynalite();
  const TableName = 'ledger-events';
  await ensureEventsTable(dynamo.client, TableName);
  const store = new DynamoEventStore(dynamo.client, TableName);
  return {
    store,
    tamper: async (stream, version, change) => {
      const { Item } = await dynamo.client.send(new GetItemCommand({ TableName, Key: marshall({ pk: stream, sk: version }) }));
      const commit = itemToCommit(Item!);
      change(commit);
      await dynamo.client.send(new PutItemCommand({ TableName, Item: commitToItem(commit) }));
    },
    stop: dynamo.stop,
  };
});
