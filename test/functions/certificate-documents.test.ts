import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { decodeJwt } from 'jose';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { verificationUrl } from '../../functions/certificates/certificate-facts.js';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { issueCertificate } from '../support/issue-certificate.js';
import { memoryDeps } from '../support/memory-deps.js';

const standards = join(import.meta.dirname, '../../../shared/standards');
// CommonJS modules whose typings declare an ES default export: the default import is the function itself at run time.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2019) => Ajv2019;
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

describe('the documents of a certificate', () => {
  let h: Awaited<ReturnType<typeof memoryDeps>>;
  let candidateId: string;
  const issue = async (kind: 'titre' | 'ccp', blocs: string[], rncp = 'RNCP38665') => {
    const code = newCertificateCode();
    const result = await issueCertificate(h.deps, { code, candidateId, kind, rncp, blocs, issuedOn: '2025-09-01', sessionId: 'session-1', commandId: `c-${code}` });
    return { code, result };
  };
  beforeAll(async () => {
    h = await memoryDeps();
    candidateId = 'cand-documents';
    await h.deps.vault.put(candidateId, { familyName: 'Moreau', givenNames: 'Claire', birthDate: '1990-04-02', email: 'claire@example.org' });
  });

  it('the decoded credential of every kind validates against 1EdTech’s Open Badges 3.0 AchievementCredential schema', async () => {
    const ajv = addFormats(new Ajv2019({ strict: false, allErrors: true }));
    const validate = ajv.compile(JSON.parse(readFileSync(join(standards, 'ob_v3p0_achievementcredential.schema.json'), 'utf8')));
    const validateProfile = ajv.compile(JSON.parse(readFileSync(join(standards, 'ob_v3p0_profile.schema.json'), 'utf8')));
    for (const [kind, blocs, rncp] of [
      ['titre', ['RNCP38665BC01', 'RNCP38665BC02'], 'RNCP38665'],
      ['ccp', ['RNCP38665BC02'], 'RNCP38665'],
      ['ccp', ['RNCP12505BC01'], 'RNCP12505'],
    ] as const) {
      const { result } = await issue(kind, [...blocs], rncp);
      const credential = decodeJwt(result.credential.jws);
      expect(validate(credential), JSON.stringify(validate.errors, null, 1)).toBe(true);
      expect(validateProfile(credential.issuer), JSON.stringify(validateProfile.errors, null, 1)).toBe(true);
    }
  });

  it('the credential aligns the achievement to the RNCP code and bloc codes, quotes the ledger, and names nobody', async () => {
    const { code, result } = await issue('titre', ['RNCP38665BC01', 'RNCP38665BC02']);
    const credential = decodeJwt(result.credential.jws) as any;
    expect(credential.type).toEqual(['VerifiableCredential', 'AchievementCredential']);
    expect(credential.validFrom).toBe('2025-09-01T00:00:00Z');
    const achievement = credential.credentialSubject.achievement;
    expect(achievement).toMatchObject({ achievementType: 'Certificate', humanCode: 'RNCP38665', id: 'https://www.francecompetences.fr/recherche/rncp/38665/' });
    expect(achievement.alignment.map((a: { targetCode: string }) => a.targetCode)).toEqual(['RNCP38665', 'RNCP38665BC01', 'RNCP38665BC02']);
    expect(credential.evidence[0]).toMatchObject({
      id: verificationUrl('https://ledger.test', code),
      ledgerStream: result.issuance.stream,
      ledgerVersion: 1,
      ledgerHash: result.issuance.hash,
    });
    expect(credential.credentialSubject.identifier[0]).toMatchObject({ type: 'IdentityObject', hashed: true, salt: code });
    const text = JSON.stringify(credential);
    for (const personal of ['Moreau', 'Claire', '1990', 'claire@', candidateId]) expect(text).not.toContain(personal);
    // The same person's certificates do not link to each other.
    const other = decodeJwt((await issue('ccp', ['RNCP38665BC01'])).result.credential.jws) as any;
    expect(other.credentialSubject.identifier[0].identityHash).not.toBe(credential.credentialSubject.identifier[0].identityHash);
  });

  it('the PDF renders, says what it certifies in French, and its QR code decodes to the verification URL of its code', async () => {
    const { code, result } = await issue('titre', ['RNCP38665BC01', 'RNCP38665BC02']);
    const pdf = await h.deps.documents.get(result.pdf.key);
    const dir = mkdtempSync(join(tmpdir(), 'certificate-pdf-'));
    try {
      writeFileSync(join(dir, 'c.pdf'), pdf!.body);
      // 300 dpi: at 150 dpi the rasterised modules blur for some codes and jsQR (not a phone) misses them.
      execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', join(dir, 'c.pdf'), join(dir, 'page')]);
      const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
      const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(qr?.data).toBe(verificationUrl('https://ledger.test', code));
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
      for (const expected of [
        'Titre professionnel',
        'RNCP38665',
        'niveau 5',
        'RNCP38665BC01',
        'RNCP38665BC02',
        'Délivré le 1er septembre 2025',
        code,
        `certificate#${code}`,
        'version 1',
        result.issuance.hash,
      ]) {
        expect(text).toContain(expected);
      }
      for (const personal of ['Moreau', 'Claire']) expect(text).not.toContain(personal);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
