import { certificationCatalogue } from './certification-catalogue.js';
import { candidateRecord } from './candidate-record.js';
import { certificateStatus } from './certificate-status.js';
import { centreSessions } from './centre-sessions.js';
import { centreCandidates, centreDirectory, jurorDirectory, jurorSessions } from './directories.js';
import type { DocumentProjection } from './projection.js';
import { sessionOverview } from './session-overview.js';
import { candidateFacts, centreFacts, sessionFacts } from './statistics-facts.js';

/** Every read model fed by the change feed, locally and by the projector Lambda in AWS. */
export const projections: readonly DocumentProjection<any>[] = [
  certificationCatalogue,
  sessionOverview,
  candidateRecord,
  certificateStatus,
  sessionFacts,
  candidateFacts,
  centreFacts,
  centreSessions,
  centreDirectory,
  centreCandidates,
  jurorDirectory,
  jurorSessions,
];
