import { describe, expect, it } from 'vitest';
import { buildCredential, type CredentialInput } from '../../functions/certificates/credential.js';
import { renderCertificatePdf, type CertificatePdfInput } from '../../functions/certificates/certificate-pdf.js';
import { MemoryDocumentStore } from '../../functions/adapters/memory-document-store.js';
import { renderPdfs } from '../../functions/workflows/render-certificate-pdfs.js';
import { DEVELOPMENT_MARK } from '../../functions/shared/stage.js';
import { pdfText } from '../support/pdf-text.js';
import { decodeJwt } from 'jose';
import { issuerMetadata, issueSdJwtVc, type WalletCredentialFacts } from '../../functions/wallet/wallet-issuer.js';
import { typeMetadata } from '../../functions/wallet/credential-types.js';
import { memoryDeps } from '../support/memory-deps.js';

const pdfInput: CertificatePdfInput = {
  publicBaseUrl: 'https://d111111abcdef8.cloudfront.net',
  code: 'TP-7K3M-9QX2-HB4R',
  kind: 'titre',
  certification: { rncp: 'RNCP38665', title: 'Développeur web et web mobile', level: 5, certifier: 'Ministère du Travail' },
  blocs: [{ code: 'RNCP38665BC01', title: 'Développer la partie front-end' }],
  issuedOn: '2025-10-06',
  issuance: { stream: 'certificate#TP-7K3M-9QX2-HB4R', version: 1, hash: 'a'.repeat(64) },
};
const credentialInput: CredentialInput = {
  ...pdfInput,
  candidateId: 'c-1',
  statusListEntry: { listId: 'ministere-du-travail-1', index: 42 },
  subjectId: 'urn:uuid:6f1c9e1e-3b0e-4f7e-9a55-2f0c2d0b7d11',
};
// The mark without its dash: PDF standard fonts write the em dash in WinAnsi, not latin1.
const [MARK_HEAD, MARK_TAIL] = DEVELOPMENT_MARK.split(' — ') as [string, string];

describe('a development stage issues specimens (issue 18)', () => {
  it('its credential is named a specimen and claims ledgerStage: development, a term of its context', () => {
    const credential = buildCredential({ ...credentialInput, stage: 'development' }) as ReturnType<typeof buildCredential> & { ledgerStage?: string };
    expect(credential.ledgerStage).toBe('development');
    expect(credential.name.startsWith(DEVELOPMENT_MARK)).toBe(true);
    expect(credential.description.startsWith(DEVELOPMENT_MARK)).toBe(true);
    expect(credential['@context'][2]).toMatchObject({ ledgerStage: expect.stringMatching(/#ledgerStage$/) });
  });

  it('a production credential has neither', () => {
    const credential = buildCredential(credentialInput) as ReturnType<typeof buildCredential> & { ledgerStage?: string };
    expect(credential.ledgerStage).toBeUndefined();
    expect(JSON.stringify(credential)).not.toContain('SPÉCIMEN');
  });

  it('its SD-JWT VC claims ledger_stage: development, and its type is named a specimen wherever a wallet reads the name', async () => {
    const { deps } = await memoryDeps({ referential: false });
    const development = { ...deps, stage: 'development' as const };
    const facts: WalletCredentialFacts = {
      configurationId: 'titre-professionnel',
      holderKey: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
      person: { familyName: 'Moreau' },
      certificate: { code: 'TP-7K3M-9QX2-HB4R', issuedOn: '2025-10-06', blocs: [] },
      certification: {
        rncp: 'RNCP38665',
        title: 'Développeur web et web mobile',
        level: 5,
        certifier: 'Ministère du Travail',
        certifierDid: 'did:web:x',
        sdJwtIssuer: 'https://x',
      },
      verificationUrl: 'https://x/v/TP-7K3M-9QX2-HB4R',
    };
    const specimen = decodeJwt((await issueSdJwtVc(development, facts)).split('~')[0]!);
    expect(specimen.ledger_stage).toBe('development');
    const production = decodeJwt((await issueSdJwtVc(deps, facts)).split('~')[0]!);
    expect(production.ledger_stage).toBeUndefined();

    const type = typeMetadata(development, 'titre-professionnel');
    expect(type.name.startsWith(DEVELOPMENT_MARK)).toBe(true);
    expect(type.display[0]!.name.startsWith(DEVELOPMENT_MARK)).toBe(true);
    expect(type.claims.map((c) => c.path[0])).toContain('ledger_stage');
    const offered = issuerMetadata(development).credentialIssuer.credential_configurations_supported['titre-professionnel'] as {
      credential_metadata: { display: { name: string }[] };
    };
    expect(offered.credential_metadata.display[0]!.name.startsWith(DEVELOPMENT_MARK)).toBe(true);

    expect(JSON.stringify(typeMetadata(deps, 'titre-professionnel'))).not.toContain('SPÉCIMEN');
    expect(JSON.stringify(issuerMetadata(deps).credentialIssuer)).not.toContain('SPÉCIMEN');
  });

  it('its PDF carries the specimen band; a production PDF does not', async () => {
    const text = pdfText(await renderCertificatePdf({ ...pdfInput, stage: 'development' }));
    expect(text).toContain(MARK_HEAD);
    expect(text).toContain(MARK_TAIL);
    expect(text).toContain('Développeur web et web mobile');
    const production = pdfText(await renderCertificatePdf(pdfInput));
    expect(production).toContain('Développeur web et web mobile');
    expect(production).not.toContain(MARK_HEAD);
  });

  it('the lean PDF step keeps the stage from its input (its schema would strip an unknown key)', async () => {
    const documents = new MemoryDocumentStore();
    const { pdfs } = await renderPdfs(documents, { certificates: { pending: [{ pdf: { ...pdfInput, stage: 'development' } }] } });
    const stored = await documents.get(pdfs[0]!.key);
    expect(pdfText(stored!.body)).toContain(MARK_HEAD);
  });
});
