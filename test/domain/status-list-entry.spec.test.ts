import { describe, it } from 'vitest';
import { statusListEntry, type StatusListEntryEvent } from '../../domain/status-list-entry.js';
import { specFor } from '../support/decider-spec.js';

const spec = specFor(statusListEntry);
const entry = { listId: 'ministere-du-travail-1', index: 94_567, code: '7KQ2-M9XD-4HTB-P3WX6' };
const reserved: StatusListEntryEvent = { type: 'StatusListEntryReserved', data: entry };

describe('status list entries', () => {
  it('a free entry is reserved for the certificate', () => {
    spec
      .given()
      .when({ type: 'ReserveStatusListEntry', ...entry })
      .then([reserved]);
  });
  it('reserving it again for the same certificate changes nothing (a retried issuance)', () => {
    spec
      .given([reserved])
      .when({ type: 'ReserveStatusListEntry', ...entry })
      .thenNothing();
  });
  it('an entry taken by another certificate is refused: two credentials never share a status bit', () => {
    spec
      .given([reserved])
      .when({ type: 'ReserveStatusListEntry', ...entry, code: '0000-0000-0000-00000' })
      .thenRefused('status-list-entry-taken');
  });
});
