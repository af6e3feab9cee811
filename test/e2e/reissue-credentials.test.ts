import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { certificate, certificateStream } from '../../domain/certificate.js';
import { storeCertificatePdf } from '../../functions/certificates/certificate-pdf-store.js';
import { beginIssuance, newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { reissueCredentials } from '../../functions/certificates/reissue-credentials.js';
import type { LedgerDeps } from '../../functions/shared/deps.js';
import { startTestLedger } from '../support/local-ledger.js';
import { titreIssuance } from '../support/holder-with-titre.js';
import { registeredCentre } from '../support/registered-centre.js';

const projectRoot = join(import.meta.dirname, '../..');

/**
 * A certificate as the ledger issued them before issue 19: the credential signed without a status list entry or
 * a subject id (`typ` vc+jwt, the bare thumbprint as `kid`), recorded by CertificateDocumentsAttached without them.
 */
async function issueAsBefore(deps: LedgerDeps, candidateId: string) {
  const code = newCertificateCode();
  const begun = await beginIssuance(deps, { ...titreIssuance(code, candidateId), commandId: `old:${code}` });
  if (!('pending' in begun)) throw new Error('issued already');
  const pdf = await storeCertificatePdf(deps.documents, begun.pending.pdf);
  const credential = await deps.signer.sign(
    new TextEncoder().encode(JSON.stringify({ type: ['VerifiableCredential', 'AchievementCredential'], issuer: { id: deps.publicBaseUrl } })),
    {
      typ: 'vc+jwt',
      cty: 'vc',
    },
  );
  await deps.commands.handle(
    certificate,
    certificateStream(code),
    { type: 'AttachCertificateDocuments', code, issuance: begun.pending.pdf.issuance, credential, pdf },
    { commandId: `old:${code}:documents`, actor: 'system:test', correlationId: code, now: deps.clock.now() },
  );
  return code;
}

describe('credentials issued before issue 19 are reissued by a one-off command', () => {
  it('each gets a status list entry and a subject id, a revoked one shows in its list at once; a second run reissues nothing; npm run reissue-credentials does it on a stopped data dir', async () => {
    const L = await startTestLedger({ clock: 'virtual:2025-09-01T08:00:00Z' });
    const centreId = await registeredCentre(L.call);
    const candidateId = (await L.call('POST', '/candidates', { as: ['centre', centreId], body: { familyName: 'Moreau', givenNames: 'Claire', birthDate: '1990-04-02' } })).json
      .candidateId as string;
    const kept = await issueAsBefore(L.deps, candidateId);
    const revoked = await issueAsBefore(L.deps, candidateId);
    await L.settle();
    expect(decodeJwt((await L.call('GET', `/certificates/${kept}/credential`)).text).credentialStatus).toBeUndefined();
    await L.call('POST', '/_local/clock', { body: { now: '2025-12-01T10:00:00Z' } });
    expect((await L.call('POST', `/certificates/${revoked}/revocation`, { as: ['dreets', 'agent-1', 'Bretagne'], body: { reason: 'Fraude', legalBasis: 'Arrêté' } })).status).toBe(
      201,
    );
    await L.settle();

    const report = await reissueCredentials(L.deps);
    await L.settle();
    expect(report.reissued.sort()).toEqual([kept, revoked].sort());
    for (const code of [kept, revoked]) {
      const jws = (await L.call('GET', `/certificates/${code}/credential`)).text;
      const payload = decodeJwt(jws) as any;
      expect(payload.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
      expect(payload.sub).toMatch(/^urn:uuid:/);
      expect(decodeProtectedHeader(jws)).toMatchObject({ typ: 'JWT', kid: expect.stringMatching(/^did:web:/) });
    }
    const credential = decodeJwt((await L.call('GET', `/certificates/${revoked}/credential`)).text) as any;
    const list = decodeJwt((await L.call('GET', new URL(credential.credentialStatus.statusListCredential).pathname)).text) as any;
    const bits = Buffer.from(
      await new Response(new Blob([Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url')]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer(),
    );
    const index = Number(credential.credentialStatus.statusListIndex);
    expect((bits[Math.floor(index / 8)]! >> (7 - (index % 8))) & 1).toBe(1);
    expect((await reissueCredentials(L.deps)).reissued).toEqual([]);

    const older = await issueAsBefore(L.deps, candidateId);
    await L.settle();
    await L.stop();
    const run = () =>
      spawnSync(process.execPath, [join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), join(projectRoot, 'functions/local/reissue-credentials.ts')], {
        env: { ...process.env, LEDGER_DATA_DIR: L.dataDir, EVENTS_TABLE: '', PUBLIC_BASE_URL: 'https://registre.example.gouv.fr', LEDGER_CLOCK: 'virtual:2025-12-02T08:00:00Z' },
        encoding: 'utf8',
        timeout: 120_000,
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`reissued ${older}`);
    expect(first.stdout).toMatch(/1 credential\(s\) reissued, 2 already current, under https:\/\/registre\.example\.gouv\.fr/);
    const second = run();
    expect(second.stdout).toMatch(/0 credential\(s\) reissued, 3 already current/);
  }, 300_000);
});
