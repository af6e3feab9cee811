import type { CertificateKind } from '../../events/certificate.js';
import type { LedgerDeps } from '../shared/deps.js';
import { withoutTrailingSlash } from '../certificates/certificate-urls.js';

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
export function typeMetadata(deps: Pick<LedgerDeps, 'publicBaseUrl'>, id: WalletCredentialId) {
  const { name } = WALLET_CREDENTIALS[id];
  return {
    vct: vctOf(deps, id),
    name,
    description: `${name} délivré au nom de l’État par le ministère chargé de l’emploi ou un certificateur enregistré au RNCP, vérifiable par son code.`,
    display: [{ lang: 'fr-FR', name }],
    claims: CLAIM_LABELS.map(({ path, label }) => ({
      path,
      display: [{ lang: 'fr-FR', label }],
      sd: (SELECTIVELY_DISCLOSABLE as readonly string[]).includes(path[0]!) ? 'always' : 'never',
    })),
  };
}

/** The claims a holder may leave out when presenting: the person. Everything about the certificate stays plain. */
export const SELECTIVELY_DISCLOSABLE = ['family_name', 'given_name', 'birthdate'] as const;
