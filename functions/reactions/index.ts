import { capitalisationTrigger } from './capitalisation-trigger.js';
import { annulmentCompensation } from './decision-annulment.js';
import { emailNotifications } from './email-notifications.js';
import { equivalenceWorkflowTrigger } from './equivalence-workflow-trigger.js';
import type { Reaction } from './reaction.js';
import { sessionWorkflowTrigger } from './session-workflow-trigger.js';

/** The one list of reactions: the Streams consumer in AWS, the local feed and the tests all run these. */
export const reactions: readonly Reaction[] = [sessionWorkflowTrigger, equivalenceWorkflowTrigger, capitalisationTrigger, annulmentCompensation, emailNotifications];
