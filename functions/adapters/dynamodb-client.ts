import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A client for the embedded dynalite: same SDK, same calls as in AWS, local endpoint. `npm start`'s dynalite is behind
 * a guard that checks the data dir's credentials (functions/local/stand-in-guard.ts); a bare one in a test takes any.
 */
export function localDynamoClient(endpoint: string, credentials = { accessKeyId: 'local', secretAccessKey: 'local' }): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-3',
    credentials,
    maxAttempts: 3,
  });
}
