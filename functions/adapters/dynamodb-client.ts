import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A client for the embedded dynalite: same SDK, same calls as in AWS, local endpoint and dummy credentials. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}
