import type { CertificateDoc } from '../projections/certificate-status.js';
import { certificateStatus } from '../projections/certificate-status.js';
import { readDoc } from '../projections/projection.js';
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
  const report: ReissueReport = { reissued: [], current: 0 };
  // An operator's one-off run: the ledger is walked page by page (no read model lists every certificate), and
  // each certificate is seen at its issuance commit.
  for await (const commit of deps.store.scan()) {
    if (!commit.stream.startsWith('certificate#') || !commit.events.some((e) => e.type === 'CertificateIssued')) continue;
    const doc = (await readDoc<CertificateDoc>(deps.readModels, certificateStatus, commit.stream.slice('certificate#'.length)))?.doc;
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
