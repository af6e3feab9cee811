import { sha256 } from '../../events/canonical-json.js';
import type { DocumentStore } from '../ports/document-store.js';

export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, { body: Uint8Array; contentType: string }>();

  async put(key: string, body: Uint8Array | string, contentType: string) {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    this.docs.set(key, { body: bytes, contentType });
    return { key, sha256: sha256(bytes) };
  }

  async downloadUrl(): Promise<string | undefined> {
    return undefined;
  }

  async get(key: string) {
    const doc = this.docs.get(key);
    return doc && { body: new Uint8Array(doc.body), contentType: doc.contentType };
  }
}
