import { certificationCatalogue } from './certification-catalogue.js';
import { candidateRecord } from './candidate-record.js';
import { certificateStatus } from './certificate-status.js';
import { centreCandidates } from './centre-candidates.js';
import { centreSessions } from './centre-sessions.js';
import { centreDirectory, jurorDirectory } from './directories.js';
import { jurorSessions } from './juror-sessions.js';
import type { Projection, ProjectionFollower } from './projection.js';
import { sessionOverview } from './session-overview.js';
import { candidateFacts, centreFacts, sessionFacts } from './statistics-facts.js';
import { statisticsRollups } from './statistics-rollups.js';

/** Every read model fed by the change feed, locally and by the projector Lambda in AWS. */
export const projections: readonly Projection[] = [
  certificationCatalogue,
  sessionOverview,
  candidateRecord,
  certificateStatus,
  sessionFacts,
  candidateFacts,
  centreFacts,
  centreSessions,
  jurorSessions,
  centreCandidates,
  centreDirectory,
  jurorDirectory,
];

/** What keeps aggregates from those documents after each commit: the statistics' rollups. */
export const followers: readonly ProjectionFollower[] = [statisticsRollups];
