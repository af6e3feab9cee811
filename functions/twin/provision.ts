import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Resolver } from './resolver.js';
import type { StackModel, Table } from './template.js';

/**
 * What CloudFormation would create before any function runs: the tables with the template's keys and
 * indexes, under the resolver's physical names. Idempotent, so a restart on the same data dir is a no-op.
 */

const indexOf = (raw: unknown) => {
  const i = raw as { IndexName: string; KeySchema: unknown; Projection?: unknown };
  return { IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection ?? { ProjectionType: 'ALL' } };
};

export function createTableInput(table: Table, resolver: Resolver) {
  const gsis = table.globalSecondaryIndexes.map(indexOf);
  const lsis = table.localSecondaryIndexes.map(indexOf);
  return {
    TableName: resolver.ref(table.logicalId),
    KeySchema: table.keySchema,
    AttributeDefinitions: table.attributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
  } as ConstructorParameters<typeof CreateTableCommand>[0];
}

export async function provisionTables(client: DynamoDBClient, model: StackModel, resolver: Resolver): Promise<string[]> {
  const names: string[] = [];
  for (const table of model.tables) {
    const input = createTableInput(table, resolver);
    try {
      await client.send(new CreateTableCommand(input));
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
    for (let i = 0; ; i++) {
      const { Table: t } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      if (t?.TableStatus === 'ACTIVE') break;
      if (i > 200) throw new Error(`table ${input.TableName} never became ACTIVE`);
      await new Promise((r) => setTimeout(r, 50));
    }
    names.push(input.TableName!);
  }
  return names;
}

/** The bucket names s3rver must hold. */
export const bucketNames = (model: StackModel, resolver: Resolver) => model.buckets.map((b) => resolver.ref(b.logicalId));

/** The KMS keys of the template as the local KMS keeps them. */
export const kmsKeySpecs = (model: StackModel, resolver: Resolver) =>
  model.kmsKeys.map((k) => ({ keyId: resolver.ref(k.logicalId), arn: resolver.getAtt(k.logicalId, 'Arn'), keySpec: k.keySpec, keyUsage: k.keyUsage }));
