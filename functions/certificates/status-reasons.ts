import type { CertificateDoc, StatusChangeEntry } from '../projections/certificate-status.js';
import { decisionTextsOf } from '../shared/decision-notes.js';
import type { LedgerDeps } from '../shared/deps.js';

/**
 * Each status with the reason and legal basis of its change, for the readers allowed to see them (the holder, the
 * DREETS): read from the holder's vault entry while their data exist, a fixed placeholder once erased. The
 * issuance has none; the vault is read only when there was a change.
 */
export async function statusHistoryWithReasons(deps: Pick<LedgerDeps, 'vault'>, doc: CertificateDoc, history: readonly StatusChangeEntry[] = doc.history) {
  const changed = history.some((h) => h.note || h.reason || h.by);
  const textOf = changed ? await decisionTextsOf(deps.vault, doc.candidateId) : undefined;
  return history.map(({ status, on, note, reason, legalBasis, by }) =>
    // The issuance is the only entry without an agent: no reason was typed for it.
    textOf && (note || reason || by) ? { status, on, ...textOf({ note, reason, legalBasis }) } : { status, on },
  );
}
