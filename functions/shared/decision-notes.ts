import { createHmac } from 'node:crypto';
import * as z from '../../events/zod.js';
import type { PersonVault } from '../ports/person-vault.js';

/**
 * What a reader allowed to see a decision's reason is shown once the person's data were erased: the text may have
 * named them, so it went with their key.
 */
export const ERASED_TEXT = 'Texte effacé avec les données personnelles de la personne concernée';

/** The free text of a decision about a person, as an agent or a jury typed it. */
const DecisionText = z.object({ reason: z.string(), legalBasis: z.optional(z.string()) });
export type DecisionText = z.infer<typeof DecisionText>;

const SECRET_PURPOSE = 'decision-notes';
const noteKey = (note: string) => `decision:${note}`;

/**
 * Keeps the text of a decision about a person (a revocation's reason and legal basis, an annulment's, a jury's
 * reason for overriding its assessments) in that person's vault entry, erased with them, and returns the reference
 * the event carries instead (NoteRef); undefined when the person's data are already erased: then nothing is kept.
 * The reference is an HMAC of the decision and its text under the person's own secret: the same decision with the
 * same text gives the same reference (a retried command changes nothing), and it tells nothing of the text, not
 * even to a guess, once the key is destroyed. Written before the event, so an event never points at a note that
 * was not written; a command refused afterwards leaves a note nothing points at, erased with the person.
 */
export async function keepDecisionText(vault: PersonVault, personId: string, decision: string, text: DecisionText): Promise<string | undefined> {
  const secret = await vault.secretFor(personId, SECRET_PURPOSE);
  if (!secret) return undefined;
  const note = createHmac('sha256', secret)
    .update(JSON.stringify([decision, text.reason, text.legalBasis ?? null]))
    .digest('hex')
    .slice(0, 32);
  const value = JSON.stringify(DecisionText.parse(text));
  const kept = await vault.update(personId, (person) => ({ ...person, notes: { ...person.notes, [noteKey(note)]: value } }));
  return kept ? note : undefined;
}

/** Where an event keeps a decision's text: the note (since the text left the events), or the text itself in events stored before. */
export interface DecisionTextRef {
  note?: string;
  reason?: string;
  legalBasis?: string;
}

/**
 * Reads the texts of the decisions about one person for a reader allowed to see them (the holder, the DREETS, the
 * session's centre and jurors): the person's vault entry is read once; each reference then gives the text while
 * the person's data exist, ERASED_TEXT once they were erased (the text an old event still carries included).
 */
export async function decisionTextsOf(vault: PersonVault, personId: string): Promise<(ref: DecisionTextRef) => DecisionText> {
  const person = await vault.get(personId);
  const erased = { reason: ERASED_TEXT, legalBasis: ERASED_TEXT };
  return (ref) => {
    if (!person) return erased;
    if (!ref.note) return ref.reason === undefined ? erased : { reason: ref.reason, ...(ref.legalBasis ? { legalBasis: ref.legalBasis } : {}) };
    const text = DecisionText.safeParse(parseJson(person.notes?.[noteKey(ref.note)]));
    return text.success ? text.data : erased;
  };
}

function parseJson(stored: string | undefined): unknown {
  try {
    return stored === undefined ? undefined : JSON.parse(stored);
  } catch {
    return undefined;
  }
}
