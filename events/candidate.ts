import { z } from 'zod';
import { defineEvent, Id } from './define-event.js';

/** A candidate exists: only ids here, the person's names and birth date live in the vault under candidateId. */
export const CandidateRegistered = defineEvent('CandidateRegistered', {
  latest: z.object({ candidateId: Id, registeredBy: Id }),
});

/** The person's data were erased (crypto-shredding): the record stays, the person can no longer be named. */
export const PersonalDataErased = defineEvent('PersonalDataErased', {
  latest: z.object({ candidateId: Id, erasedBy: z.string(), legalBasis: z.string() }),
});
