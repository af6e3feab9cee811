import { frenchDate } from '../../domain/french-words.js';
import { candidate, candidateStream } from '../../domain/candidate.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { livret } from '../../domain/livret.js';
import { workflowStep } from '../shared/workflow-step.js';
import { recordOf, referentialOf } from './capitalisation-facts.js';
import { UsabilityTimer } from './usability-timer.js';
import { stepHandler } from './workflow-lambda.js';

/** 90 days before a bloc stops counting: tells the candidate, unless the titre was obtained meanwhile. */
export const step = workflowStep(UsabilityTimer, async (deps, t) => {
  const record = await recordOf(deps, t.candidateId);
  const line = record && livret(record.events, await referentialOf(deps), ledgerDate(deps.clock.now())).find((l) => l.rncp === t.rncp);
  const bloc = line?.blocs.find((b) => b.code === t.bloc);
  if (!line || line.titre || !bloc?.usable) return { reminded: false };
  const missing = line.missing.length ? ` Il vous manque encore : ${line.missing.join(', ')}.` : ' Vous pouvez dès maintenant vous présenter au titre.';
  const message = `Votre bloc ${t.bloc} (${t.rncp}) ne comptera plus pour le titre après le ${frenchDate(t.usableUntil)}.${missing}`;
  await deps.commands.handle(
    candidate,
    candidateStream(t.candidateId),
    {
      type: 'Notify',
      candidateId: t.candidateId,
      notificationKey: `remind:${t.rncp}:${t.bloc}:${t.usableUntil}`,
      topic: 'usability-reminder',
      message,
      rncp: t.rncp,
      bloc: t.bloc,
    },
    {
      commandId: `remind:${t.candidateId}:${t.bloc}:${t.usableUntil}`,
      actor: 'system:capitalisation-workflow',
      correlationId: `capitalisation:${t.candidateId}`,
      now: deps.clock.now(),
    },
  );
  return { reminded: true };
});

export const handler = stepHandler(step);
