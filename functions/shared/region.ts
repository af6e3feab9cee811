import * as z from '../../events/zod.js';
import { REGION_NAMES } from '../../referential/regions.js';

/**
 * A region as it enters the ledger (a centre's, an agent's `custom:region`, a statistics filter): one of the 18,
 * spelt as the referential spells it. Free text split the statistics ("bretagne " beside "Bretagne").
 */
export const Region = z.enum(REGION_NAMES, { error: 'one of the 18 French regions, as the referential spells it (Bretagne, Île-de-France, …)' });
export type Region = z.infer<typeof Region>;
