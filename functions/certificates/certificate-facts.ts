import { certificationCatalogue, type CatalogueEntry } from '../projections/certification-catalogue.js';
import type { ReadModelStore } from '../ports/read-model-store.js';
import type { LedgerDeps } from '../shared/deps.js';
import { readDoc } from '../projections/projection.js';

/**
 * The catalogue entry of a certification version. A registered version never changes its title, level or blocs
 * (other content under the same code is refused), so an entry once read is kept for the life of the instance:
 * verification reads the catalogue once, not per request.
 */
const cache = new WeakMap<ReadModelStore, Map<string, CatalogueEntry>>();

export async function catalogueEntry(deps: Pick<LedgerDeps, 'readModels'>, rncp: string): Promise<CatalogueEntry | undefined> {
  let entries = cache.get(deps.readModels);
  if (!entries) cache.set(deps.readModels, (entries = new Map()));
  const known = entries.get(rncp);
  if (known) return known;
  const found = await readDoc<CatalogueEntry>(deps.readModels, certificationCatalogue, rncp);
  if (found) entries.set(rncp, found.doc);
  return found?.doc;
}

export { credentialUrl, registerUrl, verificationUrl, withoutTrailingSlash } from './certificate-urls.js';
