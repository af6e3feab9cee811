import { describe, it } from 'vitest';
import { certificate, type CertificateEvent } from '../../domain/certificate.js';
import type { EventData } from '../../events/registry.js';
import { specFor } from '../support/decider-spec.js';

const code = '7KQ2-M9XD-4HTB-P3WX6';
const issued: EventData<'CertificateIssued'> = {
  code,
  candidateId: 'cand-1',
  kind: 'titre',
  rncp: 'RNCP38665',
  blocs: ['RNCP38665BC01', 'RNCP38665BC02'],
  issuedOn: '2025-10-15',
  sessionId: 'session-1',
};
const certificationBlocs = ['RNCP38665BC01', 'RNCP38665BC02'];
const documents: EventData<'CertificateDocumentsAttached'> = {
  code,
  issuance: { stream: `certificate#${code}`, version: 1, hash: 'a'.repeat(64) },
  credential: { jws: 'h.p.s', kid: 'k1' },
  pdf: { key: `certificates/${code}.pdf`, sha256: 'b'.repeat(64) },
};
/** The reason and legal basis are a note in the holder's vault (DESIGN.md rule 9): the change carries its reference. */
const change = { code, note: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', by: 'dreets:agent-1', on: '2025-11-05' };
/** An agent of the region whose representative validated the PV. */
const competent = { actingRegion: 'Bretagne', competentRegion: 'Bretagne' };
const decided = { ...change, authority: competent };

const spec = specFor(certificate);
const wasIssued: CertificateEvent = { type: 'CertificateIssued', data: issued };
const suspended: CertificateEvent = { type: 'CertificateSuspended', data: change };
const reinstated: CertificateEvent = { type: 'CertificateReinstated', data: change };
const revoked: CertificateEvent = { type: 'CertificateRevoked', data: change };

describe('certificates', () => {
  describe('issuance', () => {
    it('issues a certificate under its code', () => {
      spec
        .given()
        .when({ type: 'IssueCertificate', certificationBlocs, ...issued })
        .then([wasIssued]);
    });
    it('issuing the same certificate again changes nothing (the workflow retries)', () => {
      spec
        .given([wasIssued])
        .when({ type: 'IssueCertificate', certificationBlocs, ...issued })
        .thenNothing();
    });
    it('another certificate under a code already issued is refused', () => {
      spec
        .given([wasIssued])
        .when({ type: 'IssueCertificate', certificationBlocs, ...issued, candidateId: 'cand-2' })
        .thenRefused('certificate-code-taken');
    });
    it('a bloc the certification does not have is refused', () => {
      spec
        .given()
        .when({ type: 'IssueCertificate', certificationBlocs, ...issued, blocs: ['RNCP38665BC09'] })
        .thenRefused('unknown-bloc');
    });
    it('a bloc named twice is refused', () => {
      spec
        .given()
        .when({ type: 'IssueCertificate', certificationBlocs, ...issued, kind: 'ccp', blocs: ['RNCP38665BC01', 'RNCP38665BC01'] })
        .thenRefused('duplicate-bloc-code');
    });
  });

  describe('documents', () => {
    it('attaches the signed credential and the PDF to an issued certificate', () => {
      spec
        .given([wasIssued])
        .when({ type: 'AttachCertificateDocuments', ...documents })
        .then([{ type: 'CertificateDocumentsAttached', data: documents }]);
    });
    it('keeps the documents attached first: a retry attaches nothing', () => {
      spec
        .given([wasIssued, { type: 'CertificateDocumentsAttached', data: documents }])
        .when({ type: 'AttachCertificateDocuments', ...documents, credential: { jws: 'other.jws.sig', kid: 'k1' } })
        .thenNothing();
    });
    it('documents of a certificate never issued are refused as not found', () => {
      spec
        .given()
        .when({ type: 'AttachCertificateDocuments', ...documents })
        .thenRefused('certificate-not-found');
    });
  });

  describe('credential reissued with a status list entry (credentials signed before issue 19)', () => {
    const reissue = {
      code,
      credential: { jws: 'h2.p2.s2', kid: 'k2' },
      statusListEntry: { listId: 'ministere-du-travail-1', index: 17 },
      subjectId: 'urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    };
    const attached: CertificateEvent = { type: 'CertificateDocumentsAttached', data: documents };
    it('replaces a credential that has no status list entry', () => {
      spec
        .given([wasIssued, attached])
        .when({ type: 'ReissueCredential', ...reissue })
        .then([{ type: 'CertificateCredentialReissued', data: reissue }]);
    });
    it('a revoked certificate is reissued too, so that its revocation shows in the list', () => {
      spec
        .given([wasIssued, attached, revoked])
        .when({ type: 'ReissueCredential', ...reissue })
        .then([{ type: 'CertificateCredentialReissued', data: reissue }]);
    });
    it('a credential that has an entry already is kept: a second run reissues nothing', () => {
      spec
        .given([wasIssued, attached, { type: 'CertificateCredentialReissued', data: reissue }])
        .when({ type: 'ReissueCredential', ...reissue, statusListEntry: { listId: 'ministere-du-travail-1', index: 18 } })
        .thenNothing();
      spec
        .given([wasIssued, { type: 'CertificateDocumentsAttached', data: { ...documents, statusListEntry: reissue.statusListEntry, subjectId: reissue.subjectId } }])
        .when({ type: 'ReissueCredential', ...reissue })
        .thenNothing();
    });
    it('a certificate whose documents are not attached yet is refused', () => {
      spec
        .given([wasIssued])
        .when({ type: 'ReissueCredential', ...reissue })
        .thenRefused('certificate-documents-missing');
    });
  });

  describe('status', () => {
    it('suspends a valid certificate', () => {
      spec
        .given([wasIssued])
        .when({ type: 'SuspendCertificate', ...decided })
        .then([suspended]);
    });
    it('suspends only a valid one: a suspended certificate cannot be suspended again', () => {
      spec
        .given([wasIssued, suspended])
        .when({ type: 'SuspendCertificate', ...decided })
        .thenRefused('certificate-not-valid');
    });
    it('reinstates a suspended certificate', () => {
      spec
        .given([wasIssued, suspended])
        .when({ type: 'ReinstateCertificate', ...decided })
        .then([reinstated]);
    });
    it('reinstates only a suspended one', () => {
      spec
        .given([wasIssued])
        .when({ type: 'ReinstateCertificate', ...decided })
        .thenRefused('certificate-not-suspended');
    });
    it('revokes a valid certificate', () => {
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...decided })
        .then([revoked]);
    });
    it('revokes a suspended certificate', () => {
      spec
        .given([wasIssued, suspended])
        .when({ type: 'RevokeCertificate', ...decided })
        .then([revoked]);
    });
    it('given a holder whose data were erased (no note kept), when the DREETS revokes, then the revocation has no reason’s note', () => {
      const { note: _, ...withoutNote } = change;
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...withoutNote, authority: competent })
        .then([{ type: 'CertificateRevoked', data: withoutNote }]);
    });
    it('a change never carries a typed text, even one a caller slips into the command: only its note', () => {
      spec
        .given([wasIssued])
        .when({ type: 'SuspendCertificate', ...decided, ...{ reason: 'Mme Quennevillerie, née le 14/07/1991', legalBasis: 'art. 9' } })
        .then([suspended]);
    });
    it('nothing follows a revocation', () => {
      for (const type of ['SuspendCertificate', 'ReinstateCertificate', 'RevokeCertificate'] as const) {
        spec
          .given([wasIssued, revoked])
          .when({ type, ...decided })
          .thenRefused('certificate-revoked');
      }
    });
    it('a change cannot take effect before the issuance', () => {
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...decided, on: '2025-10-14' })
        .thenRefused('before-issuance');
    });
    it('an agent of another region than the one that validated the PV can neither suspend, reinstate nor revoke it', () => {
      const elsewhere = { ...change, authority: { actingRegion: 'Occitanie', competentRegion: 'Bretagne' } };
      spec
        .given([wasIssued])
        .when({ type: 'SuspendCertificate', ...elsewhere })
        .thenRefused('outside-territory');
      spec
        .given([wasIssued, suspended])
        .when({ type: 'ReinstateCertificate', ...elsewhere })
        .thenRefused('outside-territory');
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...elsewhere })
        .thenRefused('outside-territory');
    });
    it('an agent whose account has no region acts for no territory', () => {
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...change, authority: { actingRegion: undefined, competentRegion: 'Bretagne' } })
        .thenRefused('outside-territory');
    });
    it('a certificate whose territory was never recorded (a centre registered before regions) is left to any regional agent', () => {
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...change, authority: { actingRegion: 'Occitanie', competentRegion: undefined } })
        .then([revoked]);
    });
    it('the compensation of an annulment revokes without an agent: the annulment was decided by the competent one', () => {
      spec
        .given([wasIssued])
        .when({ type: 'RevokeCertificate', ...change, authority: 'annulment-compensation' })
        .then([revoked]);
    });
    it('changing an unknown certificate is refused as not found', () => {
      spec
        .given()
        .when({ type: 'RevokeCertificate', ...decided })
        .thenRefused('certificate-not-found');
    });
  });
});
