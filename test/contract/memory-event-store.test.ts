import { MemoryEventStore } from '../../functions/adapters/memory-event-store.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('in-memory', async () => {
  const store = new MemoryEventStore();
  return { store, tamper: async (stream, version, change) => store.tamper(stream, version, change), stop: async () => {} };
});
