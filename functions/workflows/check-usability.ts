import { candidate, candidateStream } from '../../domain/candidate.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { workflowStep } from '../shared/workflow-step.js';
import { certificationVersion } from './session-outcomes.js';
import { UsabilityTimer } from './usability-timer.js';
import { stepHandler } from './workflow-lambda.js';

/** At a bloc's usableUntil: if it was not used for a titre, append CcpUsabilityLapsed and tell the candidate. */
export const step = workflowStep(UsabilityTimer, async (deps, t) => {
  const version = await certificationVersion(deps, t.rncp);
  const ctx = (what: string) => ({
    commandId: `${what}:${t.candidateId}:${t.bloc}:${t.usableUntil}`,
    actor: 'system:capitalisation-workflow',
    correlationId: `capitalisation:${t.candidateId}`,
    now: deps.clock.now(),
  });
  const checked = await deps.commands.handle(
    candidate,
    candidateStream(t.candidateId),
    { type: 'RecordUsabilityCheck', candidateId: t.candidateId, version, bloc: t.bloc, today: ledgerDate(deps.clock.now()) },
    ctx('check'),
  );
  const lapsed = checked.state.lapsed.includes(`${t.rncp}|${t.bloc}`);
  if (lapsed) {
    const message = `Votre bloc ${t.bloc} (${t.rncp}) ne compte plus pour le titre depuis le ${t.usableUntil} : il reste acquis, mais devra être repassé pour obtenir le titre.`;
    await deps.commands.handle(
      candidate,
      candidateStream(t.candidateId),
      {
        type: 'Notify',
        candidateId: t.candidateId,
        notificationKey: `lapsed:${t.rncp}:${t.bloc}:${t.usableUntil}`,
        topic: 'usability-lapsed',
        message,
        rncp: t.rncp,
        bloc: t.bloc,
      },
      ctx('lapse-notice'),
    );
  }
  return { lapsed };
});

export const handler = stepHandler(step);
