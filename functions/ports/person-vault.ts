import * as z from '../../events/zod.js';

/** What the ledger knows of a person, kept apart from the events, which carry only ids (DESIGN.md rule 9). */
export const PersonalData = z.object({
  familyName: z.optional(z.string()),
  givenNames: z.optional(z.string()),
  birthDate: z.optional(z.string()),
  email: z.optional(z.string()),
  /** A juror's or agent's display name. */
  name: z.optional(z.string()),
  /**
   * What others decided about the person that may tell of their private life or health (a recusal's reason, an
   * accommodation), by key: erased with the person.
   */
  notes: z.optional(z.record(z.string(), z.string())),
});
export type PersonalData = z.infer<typeof PersonalData>;

export interface PersonVault {
  /**
   * Stores a new person's data. Conditional: a person already stored keeps their data (a retried registration with
   * the same data succeeds; other data under the same id is a PersonDataConflict, never an overwrite).
   */
  put(personId: string, data: PersonalData): Promise<void>;
  /**
   * Changes a stored person's data (a recusal's reason, an accommodation): read, changed, written back only if
   * nobody wrote in between (retried otherwise), so two concurrent notes are both kept. False for an unknown or
   * erased person.
   */
  update(personId: string, change: (data: PersonalData) => PersonalData): Promise<boolean>;
  /** undefined for an unknown person, and for one whose key was destroyed. */
  get(personId: string): Promise<PersonalData | undefined>;
  /**
   * A secret of the person's own for `purpose` (32 bytes, derived from the person's key, so only the ledger can make
   * it, always the same for one person and purpose, different across purposes), undefined for an unknown or
   * erased person. What it protects (a wallet offer's PIN) dies with the person's key.
   */
  secretFor(personId: string, purpose: string): Promise<Uint8Array | undefined>;
  /** Crypto-shredding: destroys the person's key, so what is stored can never be read again. */
  forget(personId: string): Promise<void>;
}

/** Per-person data keys, as KMS-held keys would be: created on first use, destroyed on erasure. */
export interface KeyStore {
  /** The person's key, created if `create` and absent; undefined once destroyed (never re-created). */
  keyFor(personId: string, create: boolean): Promise<Uint8Array | undefined>;
  destroy(personId: string): Promise<void>;
}

/** Other data is already stored under this person's id: the vault never overwrites a person with another. */
export class PersonDataConflict extends Error {
  constructor(personId: string) {
    super(`other personal data are already stored under ${personId}`);
    this.name = 'PersonDataConflict';
  }
}
