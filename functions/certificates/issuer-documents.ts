import { Bitstring } from '@digitalbazaar/bitstring';
import { STATUS_LIST_SIZE } from '../../events/certificate.js';
import { CATALOGUE_PARTITION, type CatalogueEntry } from '../projections/certification-catalogue.js';
import { type RevokedEntry, statusListPartition } from '../projections/certificate-status.js';
import { jwksOf, type PublicSigningKey } from '../ports/signer.js';
import type { LedgerDeps } from '../shared/deps.js';
import { credentialHeader, credentialJwtPayload } from './credential.js';
import { certifierSlug, hostDid, issuerDid, keyDidUrl, statusListUrl } from './issuer-identity.js';

/** The certifiers of the catalogue, by slug: the issuers the ledger signs for. */
export async function certifiersBySlug(deps: Pick<LedgerDeps, 'readModels'>): Promise<Map<string, string>> {
  const docs = await deps.readModels.query<CatalogueEntry>(CATALOGUE_PARTITION);
  return new Map(docs.map((d) => [certifierSlug(d.doc.version.certifier), d.doc.version.certifier]));
}

/**
 * A DID document (DID Core 1.0, did:web): every signing key ever used, the retired ones too (their credentials
 * still verify), each as a JsonWebKey2020 verification method named by its thumbprint and allowed to assert.
 */
export function didDocument(did: string, keys: readonly PublicSigningKey[]) {
  const methods = jwksOf(keys).keys.map(({ kid, validFrom: _from, validUntil: _until, ...jwk }) => ({
    id: keyDidUrl(did, kid),
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: jwk,
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

export const hostDidDocument = async (deps: LedgerDeps) => didDocument(hostDid(deps.publicBaseUrl), await deps.signer.publicKeys());

export const certifierDidDocument = async (deps: LedgerDeps, certifier: string) => didDocument(issuerDid(deps.publicBaseUrl, certifier), await deps.signer.publicKeys());

/** The status lists a certifier may have (`<slug>-<serial>`): the serial starts at 1; a list fills 131,072 entries. */
export function parseStatusListId(listId: string): { slug: string; serial: number } | undefined {
  const m = /^(.+)-([1-9][0-9]{0,3})$/.exec(listId);
  return m ? { slug: m[1]!, serial: Number(m[2]) } : undefined;
}

/**
 * The revocation status list credential (W3C Bitstring Status List v1.0), signed as a VC-JWT by the certifier's
 * issuer: every bit 0 but those of the revoked certificates whose entry is in this list. Built from the read
 * models (one partition per list, an item per revoked certificate), so a revocation shows once projected.
 */
export async function statusListCredential(deps: LedgerDeps, certifier: string, listId: string): Promise<string> {
  // One item per revoked certificate of this list, kept by the certificate's projection (null once it no longer is).
  const revoked = await deps.readModels.query<RevokedEntry | null>(statusListPartition(listId));
  const bits = new Bitstring({ length: STATUS_LIST_SIZE });
  for (const { doc } of revoked) if (doc) bits.set(doc.index, true);
  const url = statusListUrl(deps.publicBaseUrl, listId);
  const issuer = issuerDid(deps.publicBaseUrl, certifier);
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: issuer },
    validFrom: deps.clock.now(),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      // Multibase: `u` says base64url without padding.
      encodedList: `u${await bits.encodeBits()}`,
    },
  };
  const signed = await deps.signer.sign(new TextEncoder().encode(JSON.stringify(credentialJwtPayload(credential, deps.clock.now()))), credentialHeader(issuer));
  return signed.jws;
}
