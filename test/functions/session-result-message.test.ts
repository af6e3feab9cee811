import { describe, expect, it } from 'vitest';
import { sessionResultMessage } from '../../functions/workflows/notify-session-results.js';
import type { SessionItem } from '../../functions/workflows/session-item.js';

const item = (outcome: SessionItem['candidate']['outcome'], blocs: string[], route: SessionItem['candidate']['enrolment']['route']): SessionItem => ({
  sessionId: '00000000-0000-4000-8000-000000000001',
  rncp: 'RNCP38665',
  decidedOn: '2025-12-01',
  candidate: {
    candidateId: '00000000-0000-4000-8000-000000000002',
    outcome,
    blocs,
    enrolment: { kind: 'titre', route, blocs: ['BC01', 'BC02'], startsOn: '2025-11-24', endsOn: '2025-11-25' },
    titreRoute: 'session',
  },
});

describe('what the candidate is told of the PV', () => {
  it('given an ajourné candidate of a training route, then the re-sit date is said (1er for the first of the month)', () => {
    expect(sessionResultMessage(item('ajourne', [], 'formation_continue'))).toBe(
      'Le jury a ajourné votre candidature au titre RNCP38665. Vous pouvez vous présenter de nouveau aux blocs manquants, sans refaire de formation, jusqu’au 1er décembre 2026 : votre centre vous indiquera la prochaine session.',
    );
  });

  it('given an ajourné candidate with no re-sit right (individual application), then no date is promised', () => {
    expect(sessionResultMessage(item('ajourne', [], 'candidature_individuelle'))).toBe(
      'Le jury a ajourné votre candidature au titre RNCP38665. Votre centre vous indiquera la prochaine session à laquelle vous présenter.',
    );
  });

  it('given one bloc or two acquired, then the verb agrees with them', () => {
    expect(sessionResultMessage(item('ccp', ['BC01'], 'formation_continue'))).toContain('le bloc BC01 du titre RNCP38665. Il reste capitalisable');
    expect(sessionResultMessage(item('ccp', ['BC01', 'BC02'], 'formation_continue'))).toContain('les blocs BC01, BC02 du titre RNCP38665. Ils restent capitalisables');
  });
});
