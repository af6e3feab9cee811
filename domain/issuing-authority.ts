import type { CertificateKind } from '../events/certificate.js';
import { refuse } from './errors.js';

/** A name in force from a date (inclusive) until the next entry's date. */
export interface EffectiveName {
  /** ISO date the name took effect. */
  from: string;
  name: string;
}

/**
 * Who issues a certificate of the State, as named over time: the ministry in charge of employment (renamed with
 * governments) and, per kind of territory, the regional service of the State that issues the titre and the livret
 * (`{region}` in a name stands for the region). Data from referential/issuing-authorities.ts.
 */
export interface AuthorityNames {
  ministry: readonly EffectiveName[];
  regional: {
    metropolitan: readonly EffectiveName[];
    ileDeFrance: readonly EffectiveName[];
    overseas: readonly EffectiveName[];
    guyane: readonly EffectiveName[];
  };
}

/**
 * The name in force on `date`: the last entry that took effect on or before it. A date before the first entry is
 * refused: the ledger does not know that name, and a guess printed on a certificate would be a false statement.
 */
export function nameOn(names: readonly EffectiveName[], date: string, what: string): string {
  let found: EffectiveName | undefined;
  for (const entry of names) {
    if (found && entry.from < found.from) throw new Error(`the names of ${what} are not in date order (${entry.from} after ${found.from})`);
    if (entry.from <= date) found = entry;
  }
  if (!found) {
    throw refuse('issuing-authority-unknown', `the referential names ${what} from ${names[0]?.from ?? '(no date)'} only; the certificate was issued on ${date}`);
  }
  return found.name;
}

const OVERSEAS = new Set(['Guadeloupe', 'Martinique', 'La Réunion', 'Mayotte']);

/** The regional service's names for a region: Île-de-France, Guyane and the other overseas regions have their own. */
export function regionalNames(names: AuthorityNames, region: string): readonly EffectiveName[] {
  if (region === 'Île-de-France') return names.regional.ileDeFrance;
  if (region === 'Guyane') return names.regional.guyane;
  if (OVERSEAS.has(region)) return names.regional.overseas;
  return names.regional.metropolitan;
}

export interface IssuingAuthorityInput {
  kind: CertificateKind;
  /** The certification's certifier as registered (the RNCP's « autorité responsable »). */
  certifier: string;
  /**
   * A titre professionnel of the ministry in charge of employment (its version has a TP code): issued « au nom de
   * l'État » by the regional service (Code de l'éducation R338-1; research/domain_rules.md §5.1). Otherwise the
   * certifier issues in its own name.
   */
  ofTheState: boolean;
  /** Where the jury sat (the centre's region): whose regional service validated the PV and issued. */
  region: string | undefined;
  issuedOn: string;
}

export interface IssuingAuthority {
  /** Printed under « RÉPUBLIQUE FRANÇAISE » for the State, alone for a private certifier. */
  header: string;
  /** The sentence saying who issued it. */
  issuedBy: string;
  ofTheState: boolean;
}

/**
 * The issuing authority of a certificate as it was named on its issue date: for a TP, the ministry then in charge of
 * employment and the regional service of the jury's region, the titre « au nom de l'État », a CCP or CCS recorded
 * in the livret de certification it issues; for a private certifier, its own name.
 */
export function issuingAuthority(input: IssuingAuthorityInput, names: AuthorityNames): IssuingAuthority {
  if (!input.ofTheState) return { header: input.certifier, issuedBy: `Délivré par ${input.certifier}`, ofTheState: false };
  const ministry = nameOn(names.ministry, input.issuedOn, 'the ministry in charge of employment');
  const region = input.region?.trim();
  if (!region) throw refuse('issuing-authority-unknown', 'the region whose service issued this certificate is not known');
  const service = nameOn(regionalNames(names, region), input.issuedOn, `the regional service of ${region}`).replaceAll('{region}', region);
  const issuedBy = input.kind === 'titre' ? `Délivré au nom de l'État par la ${service}` : `Délivré par la ${service}, au livret de certification`;
  return { header: ministry, issuedBy, ofTheState: true };
}
