import { isLivretEvent, type DatedEvent } from '../../domain/livret.js';
import { resitUntil, TRAINING_ROUTES } from '../../domain/session.js';
import { ledgerDate } from '../shared/ledger-date.js';
import type { DocumentProjection } from './projection.js';

export interface CandidateRecordDoc {
  candidateId: string;
  registeredBy: string;
  registeredOn: string;
  erased: boolean;
  /** The livret's facts, with the date each was recorded (for `asOf`). */
  events: DatedEvent[];
  certificates: { code: string; kind: 'titre' | 'ccp' | 'ccs'; rncp: string; blocs: string[]; recordedOn: string }[];
  notifications: { key: string; topic: string; message: string; at: string; rncp?: string; bloc?: string }[];
  surveys: { horizon: '6m' | '24m'; situation: string; recordedOn: string }[];
  /** What each validated PV decided for the candidate (absent from records projected before it existed). */
  sessions?: { sessionId: string; rncp: string; kind: string; startsOn: string; endsOn: string; outcome: string; pvValidatedOn: string; resitUntil?: string; recordedOn: string }[];
  /** The stream version reached at the end of each day something was recorded: the position of an `asOf`. */
  positions: [day: string, version: number][];
}

/** A candidate's record (livret, certificates, outbox), one document per candidate stream. */
export const candidateRecord: DocumentProjection<CandidateRecordDoc> = {
  model: 'candidate-record',
  keyOf: (stream) => (stream.startsWith('candidate#') ? stream.slice('candidate#'.length) : undefined),
  evolve(doc, event) {
    if (event.type === 'CandidateRegistered') {
      return {
        candidateId: event.data.candidateId,
        registeredBy: event.data.registeredBy,
        registeredOn: ledgerDate(event.meta.occurredAt),
        erased: false,
        events: [],
        certificates: [],
        notifications: [],
        surveys: [],
        positions: [[ledgerDate(event.meta.occurredAt), event.version]],
      };
    }
    if (!doc) return doc;
    const recordedOn = ledgerDate(event.meta.occurredAt);
    const last = doc.positions.at(-1);
    const positions: [string, number][] = last?.[0] === recordedOn ? [...doc.positions.slice(0, -1), [recordedOn, event.version]] : [...doc.positions, [recordedOn, event.version]];
    const next = { ...doc, positions };
    if (isLivretEvent(event.type)) next.events = [...doc.events, { type: event.type, data: event.data, recordedOn } as DatedEvent];
    switch (event.type) {
      case 'PersonalDataErased':
        next.erased = true;
        break;
      case 'CertificateCodeReserved':
        next.certificates = [...doc.certificates, { code: event.data.code, kind: event.data.kind, rncp: event.data.rncp, blocs: event.data.blocs, recordedOn }];
        break;
      case 'CandidateNotified':
        next.notifications = [
          ...doc.notifications,
          {
            key: event.data.notificationKey,
            topic: event.data.topic,
            message: event.data.message,
            at: event.meta.occurredAt,
            ...(event.data.rncp ? { rncp: event.data.rncp } : {}),
            ...(event.data.bloc ? { bloc: event.data.bloc } : {}),
          },
        ];
        break;
      case 'SessionOutcomeRecorded': {
        const { sessionId, rncp, kind, startsOn, endsOn, outcome, decidedOn, route, enrolledBlocs, blocs } = event.data;
        const fullSuccess = outcome === 'titre' || (outcome === 'ccp' && enrolledBlocs.every((b) => blocs.includes(b)));
        const resit = TRAINING_ROUTES.includes(route) && !fullSuccess ? { resitUntil: resitUntil(decidedOn) } : {};
        next.sessions = [...(doc.sessions ?? []), { sessionId, rncp, kind, startsOn, endsOn, outcome, pvValidatedOn: decidedOn, ...resit, recordedOn }];
        break;
      }
      case 'InsertionSurveyRecorded':
        next.surveys = [...doc.surveys, { horizon: event.data.horizon, situation: event.data.situation, recordedOn }];
        break;
    }
    return next;
  },
};
