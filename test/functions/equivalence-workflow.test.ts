import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { candidateStream } from '../../domain/candidate.js';
import { equivalenceWorkflow } from '../../infra/workflows/equivalence.js';
import { renderWorkflow } from '../../infra/workflows/render.js';
import { recordedEvents } from '../../functions/shared/command-handler.js';
import { equivalenceExecutionName } from '../../functions/reactions/equivalence-workflow-trigger.js';
import { localExecutionArn } from '../../functions/local/local-workflows.js';
import { callRoute } from '../support/call-route.js';
import { memoryDeps, TestClock } from '../support/memory-deps.js';
import { scenario, type Caller } from '../support/scenario.js';

const RNCP = 'RNCP38665';
const BC01 = 'RNCP38665BC01';
const BC02 = 'RNCP38665BC02';
const DREETS = ['dreets', 'agent-1', 'Bretagne'] as const;

async function world() {
  const clock = new TestClock('2025-09-01T08:00:00.000Z');
  const h = await memoryDeps({ clock });
  const call: Caller = async (method, path, opts = {}) => {
    const res = await callRoute(h.deps, method, path, { as: opts.as, body: opts.body, headers: opts.headers });
    await h.settle();
    return res;
  };
  const s = scenario(call);
  const centreId = await s.centre(RNCP, { validUntil: '2027-12-31' });
  const grant = async (candidateId: string, body: { blocs: string[]; titre?: boolean }) => {
    const res = await call('POST', `/candidates/${candidateId}/equivalences`, {
      as: [...DREETS],
      body: { rncp: RNCP, decidedOn: '2025-09-01', legalBasis: 'Arrêté de spécialité du titre, article des équivalences', ...body },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.decisionId as string;
  };
  const record = async (candidateId: string) => (await call('GET', `/candidates/${candidateId}/record`, { as: ['candidate', candidateId] })).json;
  const events = async (candidateId: string) => (await h.store.read(candidateStream(candidateId))).commits.flatMap(recordedEvents);
  return { h, s, call, centreId, grant, record, events };
}

describe('the équivalence workflow, run from its CDK definition by aws-local-stepfunctions', () => {
  it('renders the ASL the stack deploys: issue, render the PDFs in their lean Lambda, attach the credentials, notify; retried Tasks', () => {
    const { asl, taskModules } = renderWorkflow(equivalenceWorkflow);
    expect(asl.StartAt).toBe('IssueEquivalenceCertificates');
    expect(taskModules).toEqual({
      IssueEquivalenceCertificates: 'workflows/issue-equivalence-certificates',
      RenderEquivalencePdfs: 'workflows/render-certificate-pdfs',
      AttachEquivalenceDocuments: 'workflows/attach-certificate-documents',
      NotifyEquivalence: 'workflows/notify-equivalence',
    });
    expect((asl.States as Record<string, any>).IssueEquivalenceCertificates.Retry).toEqual([
      expect.objectContaining({ ErrorEquals: ['StepRefused'], MaxAttempts: 0 }),
      expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 4 }),
    ]);
  });

  it('a total équivalence issues the titre’s certificate, which says « par équivalence » and verifies as valid', async () => {
    const { h, s, call, centreId, grant, record } = await world();
    const candidateId = await s.candidate(centreId, 'Total');
    const decisionId = await grant(candidateId, { blocs: [], titre: true });
    await h.settle();
    expect(h.workflows.execution(localExecutionArn('equivalence', equivalenceExecutionName(decisionId)))?.status).toBe('SUCCEEDED');
    const rec = await record(candidateId);
    const line = rec.certifications.find((c: any) => c.rncp === RNCP);
    expect(line.titre).toMatchObject({ route: 'equivalence', issuedAt: '2025-09-01', sessionId: decisionId });
    expect(rec.certificates).toEqual([expect.objectContaining({ kind: 'titre', rncp: RNCP, blocs: [BC01, BC02], status: 'valid' })]);
    const code = rec.certificates[0].code;
    expect(line.titre.certificateCode).toBe(code);
    expect((await call('GET', `/verify/${code}`)).json).toMatchObject({ status: 'valid', kind: 'titre', issuedAt: '2025-09-01' });
    const vc = decodeJwt((await call('GET', `/certificates/${code}/credential`)).text) as any;
    expect(vc.credentialSubject.achievement.criteria.narrative).toMatch(/^Titre obtenu par équivalence\. Délivré sur décision d’équivalence/);
    expect(vc.credentialSubject.achievement.criteria.narrative).not.toContain('jury');
    const notices = (await call('GET', `/candidates/${candidateId}/notifications`, { as: ['candidate', candidateId] })).json;
    expect(notices).toEqual([expect.objectContaining({ kind: 'equivalence', rncp: RNCP, text: expect.stringContaining('le titre professionnel RNCP38665') })]);
  });

  it('a partial équivalence issues one CCP certificate per bloc it granted, saying « par équivalence »; a bloc already held gets none', async () => {
    const { h, s, call, centreId, grant, record } = await world();
    const candidateId = await s.candidate(centreId, 'Partiel');
    await grant(candidateId, { blocs: [BC01] });
    await grant(candidateId, { blocs: [BC01, BC02] });
    await h.settle();
    const rec = await record(candidateId);
    expect(rec.certificates.map((c: any) => [c.kind, c.blocs, c.status])).toEqual([
      ['ccp', [BC01], 'valid'],
      ['ccp', [BC02], 'valid'],
    ]);
    const vc = decodeJwt((await call('GET', `/certificates/${rec.certificates[1].code}/credential`)).text) as any;
    expect(vc.credentialSubject.achievement.criteria.narrative).toMatch(/^Bloc obtenu par équivalence\./);
    expect(rec.certifications.find((c: any) => c.rncp === RNCP).blocs.map((b: any) => [b.code, b.via?.kind])).toEqual([
      [BC01, 'equivalence'],
      [BC02, 'equivalence'],
    ]);
  });

  it('a duplicated change-feed record starts nothing new and issues nothing twice; a rerun of the whole workflow neither', async () => {
    const { h, s, centreId, grant, events } = await world();
    const candidateId = await s.candidate(centreId, 'Double');
    const decisionId = await grant(candidateId, { blocs: [BC01, BC02], titre: true });
    await h.settle();
    const before = await events(candidateId);
    const granted = (await h.store.read(candidateStream(candidateId))).commits.find((c) => c.events.some((e) => e.type === 'EquivalenceGranted'))!;
    // The same record delivered again, twice, as Streams may.
    await h.ledger.react(granted);
    await h.ledger.react(granted);
    await h.settle();
    // And the same decision's workflow run again under another name (a redrive): every step finds its work done.
    await h.workflows.start('equivalence', `${equivalenceExecutionName(decisionId)}-redrive`, { candidateId, decisionId });
    await h.settle();
    expect(h.workflows.execution(localExecutionArn('equivalence', `${equivalenceExecutionName(decisionId)}-redrive`))?.status).toBe('SUCCEEDED');
    const after = await events(candidateId);
    expect(after.map((e) => e.type)).toEqual(before.map((e) => e.type));
    const reserved = after.filter((e) => e.type === 'CertificateCodeReserved');
    expect(reserved.map((e) => (e.data as { kind: string }).kind)).toEqual(['titre']);
    const code = (reserved[0]!.data as { code: string }).code;
    const certificate = (await h.store.read(`certificate#${code}`)).commits.flatMap(recordedEvents);
    expect(certificate.map((e) => e.type)).toEqual(['CertificateIssued', 'CertificateDocumentsAttached']);
    expect(certificate[0]!.data).toMatchObject({ kind: 'titre', route: 'equivalence', issuedOn: '2025-09-01' });
    expect(after.filter((e) => e.type === 'CandidateNotified')).toHaveLength(1);
  });
});
