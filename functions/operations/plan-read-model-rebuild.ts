import { awsReadModelRebuild } from '../composition/read-model-rebuild.js';
import { planRebuild } from './read-model-rebuild.js';

/** The rebuild's first Task: the operator's request checked, the target table chosen, the segments listed. */
export const handler = async (event: unknown) => planRebuild(awsReadModelRebuild(), event);
