import { expect } from 'vitest';

export type As = [role: 'centre' | 'juror' | 'dreets' | 'ministry' | 'candidate', sub: string, region?: string];
export type Caller = (method: string, path: string, opts?: { as?: As; body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; json: any; text: string }>;

/** A DREETS agent of `region`: agréments, habilitations and PV validation are decided by the agents of the territory. */
const dreetsOf = (region: string): As => ['dreets', 'agent-1', region];
const DEFAULT_REGION = 'Bretagne';

async function ok(res: Promise<{ status: number; json: any; text: string }>, status: number, what: string) {
  const r = await res;
  expect(r.status, `${what}: ${r.text}`).toBe(status);
  return r.json;
}

/**
 * A certifier's world through the HTTP contract only: a centre with an agrément, habilitated jurors, candidates,
 * and a session driven to PV validation. Works over the route manifest (tests) or real HTTP (e2e).
 */
export function scenario(call: Caller) {
  const centreRegions = new Map<string, string>();
  const sessionCentres = new Map<string, string>();
  const blocsOf = async (rncp: string) => (await ok(call('GET', `/certifications/${rncp}`), 200, 'GET certification')).blocs as { code: string; competences: { code: string }[] }[];
  return {
    async centre(rncp: string, { region = DEFAULT_REGION, validUntil, validFrom }: { region?: string; validUntil: string; validFrom?: string }) {
      const { centreId } = await ok(call('POST', '/centres', { as: dreetsOf(region), body: { name: `Centre ${region}`, region } }), 201, 'POST /centres');
      await ok(call('POST', `/centres/${centreId}/agrements`, { as: dreetsOf(region), body: { rncp, validUntil, ...(validFrom ? { validFrom } : {}) } }), 201, 'POST agrement');
      centreRegions.set(centreId, region);
      return centreId as string;
    },
    async jurors(rncp: string, count: number, { validUntil, validFrom, region = DEFAULT_REGION }: { validUntil: string; validFrom?: string; region?: string }) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const { jurorId } = await ok(call('POST', '/jurors', { as: dreetsOf(region), body: { name: `Juré ${i + 1}`, independent: i === 0 } }), 201, 'POST /jurors');
        await ok(
          call('POST', `/jurors/${jurorId}/habilitations`, { as: dreetsOf(region), body: { rncp, validUntil, ...(validFrom ? { validFrom } : {}) } }),
          201,
          'POST habilitation',
        );
        ids.push(jurorId);
      }
      return ids;
    },
    async candidate(centreId: string, familyName: string) {
      const { candidateId } = await ok(
        call('POST', '/candidates', { as: ['centre', centreId], body: { familyName, givenNames: 'Camille', birthDate: '1990-04-02' } }),
        201,
        'POST /candidates',
      );
      return candidateId as string;
    },
    async session(centreId: string, body: { rncp: string; kind: 'titre' | 'ccp'; blocs?: string[]; startsOn: string; endsOn: string }, jurors: string[]) {
      const { sessionId } = await ok(call('POST', '/sessions', { as: ['centre', centreId], body: { ...body, centreId } }), 201, 'POST /sessions');
      await ok(call('PUT', `/sessions/${sessionId}/jury`, { as: ['centre', centreId], body: { members: jurors } }), 200, 'PUT jury');
      sessionCentres.set(sessionId, centreId);
      return sessionId as string;
    },
    async enrol(centreId: string, sessionId: string, candidateId: string, route = 'formation_continue', blocs?: string[]) {
      await ok(call('POST', `/sessions/${sessionId}/enrolments`, { as: ['centre', centreId], body: { candidateId, route, ...(blocs ? { blocs } : {}) } }), 201, 'enrol');
    },
    /** Every juror assesses the competences of the blocs, then the first proposes and the others sign. */
    async deliberate(
      sessionId: string,
      jurors: string[],
      candidateId: string,
      outcome: 'titre' | 'ccp' | 'ajourne' | 'absent',
      blocs: { code: string; competences: { code: string }[] }[],
      acquis: string[],
    ) {
      if (outcome !== 'absent') {
        for (const j of jurors)
          for (const b of blocs) {
            const result = acquis.includes(b.code) ? 'acquis' : 'non_acquis';
            await ok(
              call('POST', `/sessions/${sessionId}/assessments`, {
                as: ['juror', j],
                body: { candidateId, bloc: b.code, competences: b.competences.map((c) => ({ code: c.code, result })) },
              }),
              201,
              'assessment',
            );
          }
      }
      const proposal = { candidateId, outcome, blocs: outcome === 'ccp' || outcome === 'titre' ? acquis : [], ...(outcome === 'titre' ? { finalInterviewHeld: true } : {}) };
      await ok(call('POST', `/sessions/${sessionId}/deliberations`, { as: ['juror', jurors[0]!], body: proposal }), 201, 'deliberation');
      for (const j of jurors.slice(1)) await ok(call('POST', `/sessions/${sessionId}/deliberations/${candidateId}/signatures`, { as: ['juror', j] }), 201, 'signature');
    },
    async validatePv(sessionId: string) {
      const region = centreRegions.get(sessionCentres.get(sessionId) ?? '') ?? DEFAULT_REGION;
      return ok(call('POST', `/sessions/${sessionId}/pv-validation`, { as: dreetsOf(region) }), 202, 'PV validation');
    },
    async blocs(rncp: string) {
      return blocsOf(rncp);
    },
    /** One candidate of `centreId` at a titre session of `rncp`, every bloc acquired and the titre deliberated at
     * `deliberatedAt` (the clock moved there by `setClock`): ready for its PV. */
    async titreDeliberated(
      rncp: string,
      centreId: string,
      jurors: string[],
      familyName: string,
      when: { startsOn: string; endsOn: string; deliberatedAt: string; setClock: (now: string) => Promise<unknown> },
    ) {
      const blocs = await blocsOf(rncp);
      const candidateId = await this.candidate(centreId, familyName);
      const sessionId = await this.session(centreId, { rncp, kind: 'titre', startsOn: when.startsOn, endsOn: when.endsOn }, jurors);
      await this.enrol(centreId, sessionId, candidateId);
      await when.setClock(when.deliberatedAt);
      await this.deliberate(
        sessionId,
        jurors,
        candidateId,
        'titre',
        blocs,
        blocs.map((b) => b.code),
      );
      return { sessionId, candidateId, blocs };
    },
  };
}
