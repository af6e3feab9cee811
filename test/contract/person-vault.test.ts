import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { CachingPersonVault } from '../../functions/adapters/caching-person-vault.js';
import { DynamoCiphertextStore, WrappedKeyStore } from '../../functions/adapters/dynamodb-person-vault.js';
import { ensureKeyValueTable } from '../../functions/adapters/dynamodb-read-model-store.js';
import { EncryptedPersonVault, MemoryCiphertextStore, MemoryKeyStore } from '../../functions/adapters/encrypted-person-vault.js';
import { FileKeyStore } from '../../functions/adapters/file-key-store.js';
import { KmsKeyStore } from '../../functions/adapters/kms-key-store.js';
import { startDynalite } from '../support/dynalite.js';
import { startTwinAws } from '../support/twin-aws.js';
import { personVaultContract } from './person-vault.contract.js';

personVaultContract('in memory', async () => ({ vault: new EncryptedPersonVault(new MemoryKeyStore(), new MemoryCiphertextStore()), stop: async () => {} }));

/** npm start's vault: keys in files under the data dir (wrapped by its master key), ciphertexts in dynalite. */
async function localVault() {
  const dynamo = await startDynalite();
  await ensureKeyValueTable(dynamo.client, 'vault', false);
  const dir = mkdtempSync(join(tmpdir(), 'vault-keys-'));
  const masterKey = new Uint8Array(randomBytes(32));
  const make = () =>
    new EncryptedPersonVault(new FileKeyStore(dir, masterKey, new WrappedKeyStore(dynamo.client, 'vault', masterKey)), new DynamoCiphertextStore(dynamo.client, 'vault'));
  return {
    make,
    stop: async () => {
      await dynamo.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

personVaultContract('local: file keys wrapped by the master key, ciphertexts in dynalite', async () => {
  const local = await localVault();
  return { vault: local.make(), sibling: local.make(), stop: local.stop };
});

// What the routes use (local-ledger, aws-ledger): the same vault behind a short cache. The sibling has its own
// cache, as another Lambda would; the contract's reads through it come after its own first read only.
personVaultContract('local behind the cache', async () => {
  const local = await localVault();
  return { vault: new CachingPersonVault(local.make()), sibling: new CachingPersonVault(local.make()), stop: local.stop };
});

// The AWS vault as a deployed function runs it: keys from KMS (GenerateDataKey / Decrypt bound to the person's id),
// ciphertexts in the vault table, every call through the twin's gateway and checked against the function's role.
personVaultContract('AWS: KMS data keys and DynamoDB, through the twin as the stack grants them', async () => {
  const twin = await startTwinAws();
  const fn = twin.asFunctionWith('kms:GenerateDataKey', 'VAULT_KEY_ID');
  const kms = new KMSClient(fn.config);
  const dynamo = new DynamoDBClient(fn.config);
  const make = () =>
    new EncryptedPersonVault(new KmsKeyStore(kms, fn.env.VAULT_KEY_ID!, dynamo, fn.env.PERSON_VAULT_TABLE!), new DynamoCiphertextStore(dynamo, fn.env.PERSON_VAULT_TABLE!));
  return {
    vault: make(),
    sibling: make(),
    stop: async () => {
      kms.destroy();
      dynamo.destroy();
      await twin.stop();
    },
  };
});
