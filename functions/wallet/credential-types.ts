import type { CertificateKind } from '../../events/certificate.js';
import type { LedgerDeps } from '../shared/deps.js';
import { withoutTrailingSlash } from '../certificates/certificate-urls.js';
import { DEVELOPMENT_MARK } from '../shared/stage.js';

// Apart from wallet-issuer.ts: the Type Metadata route needs these and none of the @openid4vc libraries, whose
// classic zod schemas (built at module load, so never dropped) are about 200 KB of a bundle.

/** The credential types (SD-JWT VC `vct`): one for a titre professionnel, one for a CCP, one for a CCS. */
export const WALLET_CREDENTIALS = {
  'titre-professionnel': { kind: 'titre', name: 'Titre professionnel' },
  'certificat-de-competences-professionnelles': { kind: 'ccp', name: 'Certificat de compétences professionnelles (CCP)' },
  'certificat-complementaire-de-specialisation': { kind: 'ccs', name: 'Certificat complémentaire de spécialisation (CCS)' },
} as const satisfies Record<string, { kind: CertificateKind; name: string }>;
export type WalletCredentialId = keyof typeof WALLET_CREDENTIALS;

export const configurationIdOf = (kind: CertificateKind) => (Object.keys(WALLET_CREDENTIALS) as WalletCredentialId[]).find((id) => WALLET_CREDENTIALS[id].kind === kind)!;

/**
 * The `vct` of a credential type: an https URL on the public host where its Type Metadata is served (SD-JWT VC,
 * "Type Metadata" retrieved from the vct URL itself), GET /credential-types/{type}.
 */
export const vctOf = (deps: Pick<LedgerDeps, 'publicBaseUrl'>, id: WalletCredentialId) => `${withoutTrailingSlash(deps.publicBaseUrl)}/credential-types/${id}`;

/**
 * A credential type's name as a wallet shows it: a development stage's is a specimen's (its W3C credential and PDF say
 * so too), so that a wallet's card never passes for a certificate of the State.
 */
export const displayNameOf = (deps: Pick<LedgerDeps, 'stage'>, id: WalletCredentialId) =>
  deps.stage === 'development' ? `${DEVELOPMENT_MARK} — ${WALLET_CREDENTIALS[id].name}` : WALLET_CREDENTIALS[id].name;

/** The claim a development stage's SD-JWT VC carries (`ledger_stage: development`), as its W3C credential carries `ledgerStage`. */
export const STAGE_CLAIM = { path: ['ledger_stage'], label: 'Environnement (spécimen sans valeur officielle)' };

/** How a wallet shows the claims of every type (OpenID4VCI credential metadata and SD-JWT VC Type Metadata say the same). */
export const CLAIM_LABELS: { path: string[]; label: string }[] = [
  { path: ['family_name'], label: 'Nom' },
  { path: ['given_name'], label: 'Prénoms' },
  { path: ['birthdate'], label: 'Date de naissance' },
  { path: ['certification', 'title'], label: 'Intitulé' },
  { path: ['certification', 'rncp'], label: 'Code RNCP' },
  { path: ['certification', 'level'], label: 'Niveau' },
  { path: ['blocs'], label: 'Blocs de compétences' },
  { path: ['issued_on'], label: 'Date de délivrance' },
  { path: ['certificate_code'], label: 'Code de vérification' },
  { path: ['certifier'], label: 'Certificateur' },
];

/**
 * A credential type's SD-JWT VC Type Metadata (IETF SD-JWT VC, "SD-JWT VC Type Metadata"): its name, how each claim
 * is shown, and which ones may be left out (`sd`: the person's always disclosable, the certificate's never).
 */
export function typeMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl' | 'stage'>, id: WalletCredentialId) {
  const name = displayNameOf(deps, id);
  return {
    vct: vctOf(deps, id),
    name,
    description: `${name} délivré au nom de l’État par le ministère chargé de l’emploi ou un certificateur enregistré au RNCP, vérifiable par son code.`,
    display: [{ lang: 'fr-FR', name }],
    claims: claimLabelsOf(deps).map(({ path, label }) => ({
      path,
      display: [{ lang: 'fr-FR', label }],
      sd: (SELECTIVELY_DISCLOSABLE as readonly string[]).includes(path[0]!) ? 'always' : 'never',
    })),
  };
}

/** The claims a holder may leave out when presenting: the person. Everything about the certificate stays plain. */
export const SELECTIVELY_DISCLOSABLE = ['family_name', 'given_name', 'birthdate'] as const;

/** The claims of a stage's credentials: a development stage's add the specimen's `ledger_stage`. */
export const claimLabelsOf = (deps: Pick<LedgerDeps, 'stage'>) => (deps.stage === 'development' ? [...CLAIM_LABELS, STAGE_CLAIM] : CLAIM_LABELS);
