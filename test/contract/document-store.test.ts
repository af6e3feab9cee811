import { MemoryDocumentStore } from '../../functions/adapters/memory-document-store.js';
import { S3DocumentStore } from '../../functions/adapters/s3-document-store.js';
import { startS3rver } from '../support/s3rver.js';
import { documentStoreContract } from './document-store.contract.js';

documentStoreContract('in-memory', async () => ({ store: new MemoryDocumentStore(), stop: async () => {} }));
documentStoreContract('S3 on s3rver', async () => {
  const s3 = await startS3rver(['ledger-documents']);
  return { store: new S3DocumentStore(s3.client, 'ledger-documents'), stop: s3.stop };
});
documentStoreContract(
  'S3 on s3rver, pre-signed downloads',
  async () => {
    const s3 = await startS3rver(['ledger-documents']);
    return { store: new S3DocumentStore(s3.client, 'ledger-documents', { presignWith: async () => s3.client }), stop: s3.stop };
  },
  { presigns: true },
);
