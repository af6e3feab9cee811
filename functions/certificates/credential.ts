import { sha256 } from '../../events/canonical-json.js';
import type { TitreRoute } from '../../events/candidate.js';
import type { CertificateKind, LedgerCoordinates, StatusListEntry } from '../../events/certificate.js';
import { titreRouteText } from './titre-route-text.js';
import { credentialUrl, registerUrl, verificationUrl, withoutTrailingSlash } from './certificate-facts.js';
import { issuerDid, statusListUrl } from './issuer-identity.js';
import { DEVELOPMENT_MARK } from '../shared/stage.js';

export interface CredentialInput {
  publicBaseUrl: string;
  /** A development stage's credential is a specimen: named so, and claimed (`ledgerStage`). */
  stage?: 'development';
  code: string;
  candidateId: string;
  kind: CertificateKind;
  certification: { rncp: string; title: string; level: number; certifier: string; millesime?: string };
  blocs: { code: string; title: string }[];
  issuedOn: string;
  issuance: LedgerCoordinates;
  route?: TitreRoute;
  /** Its revocation bit in its issuer's status list. */
  statusListEntry: StatusListEntry;
  /** `urn:uuid:…`, random per certificate: the subject's id, and the JWT's `sub`. */
  subjectId: string;
}

const CONTEXT_VC2 = 'https://www.w3.org/ns/credentials/v2';
const CONTEXT_OB3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const LEDGER_VOCABULARY = 'https://certification-ledger.fr/ns#';

/**
 * The certificate as a W3C Verifiable Credential 2.0 / Open Badges 3.0 AchievementCredential, to be secured as
 * a compact JWS (`application/vc+jwt`): the achievement is the titre (or the CCP bloc), aligned to its RNCP
 * code and bloc codes; the issuer is the certifier; the ledger coordinates of the issuance are evidence.
 *
 * The holder: OB 3.0 wants a subject `id` or `identifier`. The credential names nobody: no name, birth date or
 * email, not even hashed. A name's hash is easy to guess back and the signed credential can never be changed,
 * so it would outlive the erasure of the person (DESIGN.md rule 9). The subject is a salted SHA-256 of the
 * ledger's pseudonymous candidate id, salted with the certificate's own code: the same person's certificates do
 * not link to each other, and only the ledger (which knows the id) can tie one to its holder. A verifier checks
 * the holder the HEDD way: the holder gives the code, the verifier types the family name at GET /verify.
 */
export function buildCredential(input: CredentialInput) {
  const { publicBaseUrl, code, kind, certification, blocs, issuedOn, issuance, statusListEntry } = input;
  const register = registerUrl(publicBaseUrl, certification.rncp);
  const bloc = blocs[0]!;
  // One issuer per certifier (a private certifier is not the ministry): its did:web resolves to its keys.
  const issuer = { id: issuerDid(publicBaseUrl, certification.certifier), type: ['Profile'], name: certification.certifier, url: withoutTrailingSlash(publicBaseUrl) };
  const statusList = statusListUrl(publicBaseUrl, statusListEntry.listId);
  const achievement =
    kind === 'titre'
      ? {
          id: register,
          type: ['Achievement'],
          achievementType: 'Certificate',
          name: certification.title,
          description: `Titre professionnel de niveau ${certification.level}, enregistré au répertoire national des certifications professionnelles sous le code ${certification.rncp}.`,
          humanCode: certification.rncp,
        }
      : {
          id: `${register}#${bloc.code}`,
          type: ['Achievement'],
          achievementType: kind === 'ccs' ? 'ext:CertificatComplementaireDeSpecialisation' : 'ext:CertificatDeCompetencesProfessionnelles',
          name: bloc.title,
          description: `${kind === 'ccs' ? 'Certificat complémentaire de spécialisation' : 'Certificat de compétences professionnelles'} (bloc ${bloc.code}) du titre professionnel « ${certification.title} », niveau ${certification.level}, ${certification.rncp}.`,
          humanCode: bloc.code,
        };
  const issuedAt = `${issuedOn}T00:00:00Z`;
  return {
    '@context': [
      CONTEXT_VC2,
      CONTEXT_OB3,
      {
        LedgerEntry: `${LEDGER_VOCABULARY}LedgerEntry`,
        ledgerStream: `${LEDGER_VOCABULARY}ledgerStream`,
        ledgerVersion: { '@id': `${LEDGER_VOCABULARY}ledgerVersion`, '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
        ledgerHash: `${LEDGER_VOCABULARY}ledgerHash`,
        ...(input.stage ? { ledgerStage: `${LEDGER_VOCABULARY}ledgerStage` } : {}),
      },
    ],
    id: credentialUrl(publicBaseUrl, code),
    type: ['VerifiableCredential', 'AchievementCredential'],
    name: `${input.stage ? `${DEVELOPMENT_MARK} — ` : ''}${kind === 'titre' ? `Titre professionnel — ${certification.title}` : `${kind === 'ccs' ? 'CCS' : 'CCP'} — ${bloc.title}`}`,
    description: `${input.stage ? `${DEVELOPMENT_MARK}. ` : ''}Certificat ${code}. Statut et vérification : ${verificationUrl(publicBaseUrl, code)}`,
    ...(input.stage ? { ledgerStage: input.stage } : {}),
    issuer,
    validFrom: issuedAt,
    awardedDate: issuedAt,
    // One object, not an array: the 1EdTech OB 3.0 schema accepts only that. Revocation only: a suspension is
    // provisional and answered live by GET /verify (README, "Credentials and the standards they follow").
    credentialStatus: {
      id: `${statusList}#${statusListEntry.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(statusListEntry.index),
      statusListCredential: statusList,
    },
    credentialSubject: {
      id: input.subjectId,
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'identifier', hashed: true, identityHash: `sha256$${sha256(`${input.candidateId}${code}`)}`, salt: code }],
      achievement: {
        ...achievement,
        criteria: {
          narrative: criteriaNarrative(kind, input.route),
        },
        creator: issuer,
        inLanguage: 'fr',
        ...(certification.millesime ? { version: certification.millesime } : {}),
        alignment: [
          {
            type: ['Alignment'],
            targetName: certification.title,
            targetUrl: register,
            targetCode: certification.rncp,
            targetFramework: 'RNCP',
            targetDescription: `Niveau ${certification.level} du cadre national des certifications professionnelles`,
            targetType: 'ext:CertificationProfessionnelle',
          },
          ...blocs.map((b) => ({
            type: ['Alignment'],
            targetName: b.title,
            targetUrl: `${register}#${b.code}`,
            targetCode: b.code,
            targetFramework: 'RNCP',
            targetType: 'ext:BlocDeCompetences',
          })),
        ],
      },
    },
    evidence: [
      {
        id: verificationUrl(publicBaseUrl, code),
        type: ['Evidence', 'LedgerEntry'],
        name: 'Inscription au registre des certifications',
        narrative: `La délivrance est le commit ${issuance.version} du flux ${issuance.stream}, d’empreinte SHA-256 ${issuance.hash}, dans la chaîne d’empreintes du registre.`,
        genre: 'Registre',
        ledgerStream: issuance.stream,
        ledgerVersion: issuance.version,
        ledgerHash: issuance.hash,
      },
    ],
  };
}

export type Credential = ReturnType<typeof buildCredential>;

/**
 * How the certificate was obtained: a jury's decision on a validated PV, or a DREETS équivalence decision, which
 * no jury takes (art. 1 3° and 4° of the arrêté of 22/12/2015). A titre names its route; a bloc only équivalence.
 */
export function criteriaNarrative(kind: CertificateKind, route: TitreRoute | undefined): string {
  const obtained =
    kind === 'titre' && route ? `Titre obtenu ${titreRouteText[route]}. ` : route === 'equivalence' ? `${kind === 'ccs' ? 'Certificat' : 'Bloc'} obtenu par équivalence. ` : '';
  const decided =
    route === 'equivalence'
      ? 'Délivré sur décision d’équivalence du représentant territorial compétent (DREETS), au titre de l’article 1er de l’arrêté du 22 décembre 2015 relatif aux conditions de délivrance du titre professionnel.'
      : 'Délivré sur décision d’un jury habilité, après validation du procès-verbal de la session par la DREETS (arrêté du 22 décembre 2015 relatif aux conditions de délivrance du titre professionnel).';
  return `${obtained}${decided}`;
}

const seconds = (instant: string) => Math.floor(Date.parse(instant) / 1000);

/**
 * The JWT payload of a credential, as Open Badges 3.0's VC-JWT profile wants it: the credential's members at the
 * top level plus the registered claims `iss` (issuer id), `jti` (credential id), `sub` (subject id) and `nbf`
 * (validFrom), which verifiers must find and match, and `iat`, when it was signed.
 *
 * `nbf` and `iat` differ on purpose. A certificate is valid from its date of issue, the date of the PV validation
 * or of the équivalence decision, a date without an hour: `validFrom` is that day at 00:00Z, and OB 3.0 requires
 * `nbf` to be `validFrom` (verifiers compare them). The signature comes later (the workflow signs minutes after
 * the PV; a reissue years after), and RFC 7519's `iat` says when: VC-JOSE-COSE leaves `iat` to the JWT, VC 2.0
 * lets `validFrom` precede the securing, and nothing asks `nbf` ≥ `iat`. Putting the signing instant in `nbf`
 * instead would move the date the titre was awarded to the time a machine signed it, and differ between a
 * credential and its reissue.
 */
export function credentialJwtPayload<C extends { id: string; issuer: { id: string }; validFrom: string; credentialSubject: { id?: string } }>(credential: C, signedAt: string) {
  return {
    ...credential,
    iss: credential.issuer.id,
    jti: credential.id,
    ...(credential.credentialSubject.id ? { sub: credential.credentialSubject.id } : {}),
    nbf: seconds(credential.validFrom),
    iat: seconds(signedAt),
  };
}

/**
 * The protected header: OB 3.0's (`typ` "JWT"), not VC-JOSE-COSE's (`typ` "vc+jwt", `cty` "vc"), where they
 * disagree; `kid` is the signing key's DID URL under the issuer's did:web, so the key is found from the JWS alone.
 */
export const credentialHeader = (issuer: string) => ({ typ: 'JWT', kidPrefix: `${issuer}#` });
