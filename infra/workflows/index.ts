import { capitalisationWorkflow } from './capitalisation.js';
import { equivalenceWorkflow } from './equivalence.js';
import { sessionWorkflow } from './session.js';
import type { WorkflowDefinition } from './workflow.js';

/**
 * Every workflow the stack deploys. Add one as infra/workflows/<name>.ts exporting a WorkflowDefinition,
 * and list it here.
 */
export const workflows: readonly WorkflowDefinition[] = [sessionWorkflow, capitalisationWorkflow, equivalenceWorkflow];
