import { livret } from '../../domain/livret.js';
import { certificateStatus, statusOn, type CertificateDoc } from '../projections/certificate-status.js';
import type { CandidateRecordDoc } from '../projections/candidate-record.js';
import type { ReadModelDoc } from '../ports/read-model-store.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { referentialOf } from '../workflows/capitalisation-facts.js';
import { readDoc } from '../projections/projection.js';
import { statusHistoryWithReasons } from '../certificates/status-reasons.js';

/**
 * The livret as the ledger stood at the end of `asOf` (today when absent or later): the events recorded up to
 * then, the revisions in effect then, each certificate's status on that date, and the position it reflects.
 */
export async function recordView(deps: LedgerDeps, { doc, position }: ReadModelDoc<CandidateRecordDoc>, requested?: string, options: { reasons?: boolean } = {}) {
  const today = ledgerDate(deps.clock.now());
  const asOf = requested && requested < today ? requested : today;
  const version = asOf === today ? position : (doc.positions.filter(([day]) => day <= asOf).at(-1)?.[1] ?? 0);
  const certificates = await Promise.all(
    doc.certificates
      .filter((c) => c.recordedOn <= asOf)
      .map(async (c) => {
        const found = await readDoc<CertificateDoc>(deps.readModels, certificateStatus, c.code);
        // Reserved, or issued but without its signed credential and PDF yet (the workflow is running): pending. A
        // holder is given a code only once an employer can verify it and fetch its credential.
        const then = found?.doc.credential ? statusOn(found.doc, asOf) : undefined;
        const status = then?.status ?? 'pending';
        // The holder and the DREETS see why a certificate was suspended or revoked; the public verification does not.
        const history = options.reasons && then && found ? { history: await statusHistoryWithReasons(deps, found.doc, then.history) } : {};
        return { code: c.code, kind: c.kind, rncp: c.rncp, blocs: c.blocs, status, ...history };
      }),
  );
  const ready = new Set(certificates.filter((c) => c.status !== 'pending').map((c) => c.code));
  return {
    candidateId: doc.candidateId,
    asOf,
    position: { stream: `candidate#${doc.candidateId}`, version },
    certifications: livret(doc.events, await referentialOf(deps), asOf).map((line) =>
      line.titre?.certificateCode && !ready.has(line.titre.certificateCode) ? { ...line, titre: { ...line.titre, certificateCode: null } } : line,
    ),
    sessions: (doc.sessions ?? []).filter((s) => s.recordedOn <= asOf).map(({ recordedOn: _, ...s }) => s),
    certificates,
  };
}
