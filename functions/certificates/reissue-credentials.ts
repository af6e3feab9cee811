import type { CertificateDoc } from '../projections/certificate-status.js';
import { certificateStatus } from '../projections/certificate-status.js';
import type { LedgerDeps } from '../shared/deps.js';
import { reissueCredential } from './issue-certificate.js';

export interface ReissueReport {
  /** Certificates whose credential was signed again with a status list entry. */
  reissued: string[];
  /** Certificates whose credential had its entry already (a second run finds only these). */
  current: number;
}

/**
 * The one-off run after issue 19: every certificate whose credential was signed without a revocation status list
 * entry gets a new one (CertificateCredentialReissued), revoked ones too so their revocation shows in the list.
 * Idempotent: a certificate reissued already is skipped, by the read model and again by the decider.
 */
export async function reissueCredentials(deps: LedgerDeps, log: (line: string) => void = () => {}): Promise<ReissueReport> {
  const certificates = await deps.readModels.list<CertificateDoc | null>(certificateStatus.model);
  const report: ReissueReport = { reissued: [], current: 0 };
  for (const { doc } of certificates) {
    if (!doc?.credential) continue;
    if (doc.statusListEntry) {
      report.current++;
      continue;
    }
    if (await reissueCredential(deps, doc.code)) {
      report.reissued.push(doc.code);
      log(`reissued ${doc.code}`);
    } else report.current++;
  }
  return report;
}
