import type { EventDefinition } from './define-event.js';
import {
  CertificationVersionAmended,
  CertificationVersionClosed,
  CertificationVersionProrogued,
  CertificationVersionRegistered,
  CertificationVersionRevised,
} from './certification.js';
import {
  CandidateNotified,
  CandidateRegistered,
  CcpAcquired,
  CcpAcquisitionAnnulled,
  CcpUsabilityLapsed,
  CertificateCodeReserved,
  InsertionSurveyRecorded,
  PersonalDataErased,
  TitreAnnulled,
  TitreIssued,
  TrainingDeclared,
  SessionOutcomeRecorded,
  VaeRecevabiliteDecided,
  EquivalenceGranted,
  CcsAcquired,
  TitreSittingReserved,
  TitreSittingReleased,
} from './candidate.js';
import type { EventMeta, StoredEvent } from './envelope.js';
import {
  CertificateCredentialReissued,
  CertificateDocumentsAttached,
  CertificateIssued,
  CertificateReinstated,
  CertificateRevoked,
  CertificateSuspended,
  StatusListEntryReserved,
} from './certificate.js';
import { AgrementGranted, CentreRegistered } from './centre.js';
import { WalletOfferMade, WalletOfferRedeemed, WalletOfferTxCodeRejected } from './wallet.js';
import { HabilitationGranted, JurorRegistered } from './juror.js';
import {
  AccommodationDecided,
  AssessmentRecorded,
  CandidateEnrolled,
  CandidateWithdrawn,
  DecisionAnnulled,
  JurorAddedForCandidate,
  DeliberationFinalised,
  DeliberationProposed,
  DeliberationSigned,
  JuryConstituted,
  JurorRecused,
  PvValidated,
  SessionScheduled,
} from './session.js';

/** Every event type the ledger has ever stored. A type is never removed: old streams must still decode. */
export const eventDefinitions = [
  CertificationVersionRegistered,
  CertificationVersionRevised,
  CertificationVersionClosed,
  CertificationVersionProrogued,
  CertificationVersionAmended,
  CandidateRegistered,
  PersonalDataErased,
  CcpAcquired,
  TitreIssued,
  CcpUsabilityLapsed,
  CcpAcquisitionAnnulled,
  TitreAnnulled,
  CertificateCodeReserved,
  CandidateNotified,
  InsertionSurveyRecorded,
  TrainingDeclared,
  SessionOutcomeRecorded,
  VaeRecevabiliteDecided,
  EquivalenceGranted,
  CcsAcquired,
  TitreSittingReserved,
  TitreSittingReleased,
  CentreRegistered,
  AgrementGranted,
  JurorRegistered,
  HabilitationGranted,
  SessionScheduled,
  JuryConstituted,
  CandidateEnrolled,
  CandidateWithdrawn,
  JurorRecused,
  AssessmentRecorded,
  DeliberationProposed,
  DeliberationSigned,
  DeliberationFinalised,
  PvValidated,
  DecisionAnnulled,
  JurorAddedForCandidate,
  AccommodationDecided,
  CertificateIssued,
  CertificateDocumentsAttached,
  CertificateSuspended,
  CertificateReinstated,
  CertificateRevoked,
  CertificateCredentialReissued,
  StatusListEntryReserved,
  WalletOfferMade,
  WalletOfferRedeemed,
  WalletOfferTxCodeRejected,
] as const;

type Definitions = (typeof eventDefinitions)[number];
type EventOf<D> = D extends EventDefinition<infer T, infer C> ? { type: T; data: C } : never;

/** A domain event as deciders produce and evolve consume it: type and current-shape data, nothing else. */
export type LedgerEvent = EventOf<Definitions>;
export type LedgerEventType = LedgerEvent['type'];
export type EventData<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>['data'];

/** A decoded event with where it sits in the ledger. */
export type RecordedEvent<E extends LedgerEvent = LedgerEvent> = E & {
  eventId: string;
  meta: EventMeta;
  stream: string;
  version: number;
};

const byType = new Map<string, EventDefinition<string, unknown>>(eventDefinitions.map((d) => [d.type, d]));

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type ${eventType}`);
  }
}

/** The one way stored events are read: validated against the stored version's schema, then upcast. */
export function decodeEvent(stored: StoredEvent): LedgerEvent {
  const definition = byType.get(stored.type);
  if (!definition) throw new UnknownEventTypeError(stored.type);
  return { type: stored.type, data: definition.upcast(stored.schemaVersion, stored.data) } as LedgerEvent;
}

/** Validates a new event against its type's latest schema and stamps that version. */
export function encodeEvent(event: LedgerEvent): { type: string; schemaVersion: number; data: unknown } {
  const definition = byType.get(event.type);
  if (!definition) throw new UnknownEventTypeError(event.type);
  return { type: event.type, schemaVersion: definition.latest, data: definition.schema.parse(event.data) };
}
