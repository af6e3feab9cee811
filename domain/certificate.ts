import { canonicalJson } from '../events/canonical-json.js';
import type { EventData, LedgerEvent } from '../events/registry.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, notFound, refuse } from './errors.js';
import { requireTerritory } from './territory.js';

export type CertificateEvent = Extract<
  LedgerEvent,
  {
    type: 'CertificateIssued' | 'CertificateDocumentsAttached' | 'CertificateSuspended' | 'CertificateReinstated' | 'CertificateRevoked' | 'CertificateCredentialReissued';
  }
>;

/** A change as decided now: its reason and legal basis by their note only (v1 events alone carry the text). */
type StatusChange = Omit<EventData<'CertificateSuspended'>, 'reason' | 'legalBasis'>;

/**
 * Who may change a certificate's status. The competent authority is the territorial representative that
 * validated the PV (arrêté du 22 décembre 2015, art. 10: « validé par le représentant territorial compétent »), or
 * that decided the équivalence behind it: a DREETS agent of that region (`competentRegion`, the region of the
 * session's centre or of the candidate's centre, as the PV validation and the équivalence checked it). The
 * compensation of an annulment decided on the session follows that decision, which was checked then.
 */
export type StatusAuthority = { actingRegion: string | undefined; competentRegion: string | undefined } | 'annulment-compensation';
type StatusChangeCommand = StatusChange & { authority: StatusAuthority };

export type CertificateCommand =
  | ({
      type: 'IssueCertificate';
      /** The blocs of the certification version, as the catalogue has them: a certificate names only those. */
      certificationBlocs: readonly string[];
    } & EventData<'CertificateIssued'>)
  | ({ type: 'AttachCertificateDocuments' } & EventData<'CertificateDocumentsAttached'>)
  | ({ type: 'ReissueCredential' } & EventData<'CertificateCredentialReissued'>)
  | ({ type: 'SuspendCertificate' } & StatusChangeCommand)
  | ({ type: 'ReinstateCertificate' } & StatusChangeCommand)
  | ({ type: 'RevokeCertificate' } & StatusChangeCommand);

export type CertificateStatus = 'valid' | 'suspended' | 'revoked';

export type CertificateState =
  | { status: 'unissued' }
  | { status: CertificateStatus; issued: EventData<'CertificateIssued'>; documents?: EventData<'CertificateDocumentsAttached'> };

export const certificateStream = (code: string) => `certificate#${code}`;

const initialState: CertificateState = { status: 'unissued' };

function decide(command: CertificateCommand, state: CertificateState): CertificateEvent[] {
  if (command.type === 'IssueCertificate') {
    const { type: _, certificationBlocs, ...issued } = command;
    if (state.status !== 'unissued') {
      // The workflow retries issuance: the same certificate again is done; anything else under this code is not.
      if (canonicalJson(state.issued) === canonicalJson(issued)) return [];
      throw conflict('certificate-code-taken', `code ${command.code} belongs to another certificate`);
    }
    const unknown = issued.blocs.filter((b) => !certificationBlocs.includes(b));
    if (unknown.length) throw refuse('unknown-bloc', `no bloc ${unknown.join(', ')} in ${issued.rncp}`);
    if (new Set(issued.blocs).size !== issued.blocs.length) throw refuse('duplicate-bloc-code', 'a bloc is named twice');
    return [{ type: 'CertificateIssued', data: issued }];
  }
  if (state.status === 'unissued') throw notFound('certificate-not-found', `no certificate ${command.code}`);
  switch (command.type) {
    case 'AttachCertificateDocuments': {
      // Attached once: a retried or concurrent issuance keeps the documents recorded first.
      if (state.documents) return [];
      const { type: _, ...documents } = command;
      return [{ type: 'CertificateDocumentsAttached', data: documents }];
    }
    case 'ReissueCredential': {
      // Only a credential without a status list entry is replaced: once it has one, a reissue is a retry.
      if (!state.documents) throw refuse('certificate-documents-missing', `certificate ${command.code} has no credential yet`);
      if (state.documents.statusListEntry) return [];
      const { type: _, ...reissued } = command;
      return [{ type: 'CertificateCredentialReissued', data: reissued }];
    }
    case 'SuspendCertificate':
      requireChangeable(state, command);
      if (state.status !== 'valid') throw refuse('certificate-not-valid', `certificate ${command.code} is ${state.status}: only a valid one can be suspended`);
      return [{ type: 'CertificateSuspended', data: changeOf(command) }];
    case 'ReinstateCertificate':
      requireChangeable(state, command);
      if (state.status !== 'suspended') throw refuse('certificate-not-suspended', `certificate ${command.code} is ${state.status}: only a suspended one can be reinstated`);
      return [{ type: 'CertificateReinstated', data: changeOf(command) }];
    case 'RevokeCertificate':
      requireChangeable(state, command);
      return [{ type: 'CertificateRevoked', data: changeOf(command) }];
    default:
      return assertNever(command);
  }
}

/**
 * Only the competent territory changes a status; nothing follows a revocation, and no change takes effect before
 * the certificate was issued.
 */
function requireChangeable(state: Exclude<CertificateState, { status: 'unissued' }>, change: StatusChangeCommand) {
  if (change.authority !== 'annulment-compensation') requireTerritory(change.authority.actingRegion, change.authority.competentRegion, `certificate ${change.code}`);
  if (state.status === 'revoked') throw refuse('certificate-revoked', `certificate ${change.code} was revoked: nothing can follow`);
  if (change.on < state.issued.issuedOn) throw refuse('before-issuance', `certificate ${change.code} was issued on ${state.issued.issuedOn}, after ${change.on}`);
}

// The reason and legal basis are the note in the holder's vault: an event never carries their text since v2.
const changeOf = ({ code, note, by, on }: StatusChange): StatusChange => ({ code, ...(note ? { note } : {}), by, on });

function evolve(state: CertificateState, event: CertificateEvent): CertificateState {
  if (event.type === 'CertificateIssued') return { status: 'valid', issued: event.data };
  if (state.status === 'unissued') return state;
  switch (event.type) {
    case 'CertificateDocumentsAttached':
      return { ...state, documents: event.data };
    case 'CertificateCredentialReissued': {
      if (!state.documents) return state;
      const { credential, statusListEntry, subjectId } = event.data;
      return { ...state, documents: { ...state.documents, credential, statusListEntry, subjectId } };
    }
    case 'CertificateSuspended':
      return { ...state, status: 'suspended' };
    case 'CertificateReinstated':
      return { ...state, status: 'valid' };
    case 'CertificateRevoked':
      return { ...state, status: 'revoked' };
    default:
      return state;
  }
}

export const certificate: Decider<CertificateCommand, CertificateState, CertificateEvent> = {
  decide,
  evolve,
  initialState,
};
