import type { LedgerEvent } from '../events/registry.js';
import { assertNever, type Decider } from './decider.js';
import { notFound } from './errors.js';

export type CandidateEvent = Extract<LedgerEvent, { type: 'CandidateRegistered' | 'PersonalDataErased' }>;

export type CandidateCommand =
  | { type: 'RegisterCandidate'; candidateId: string; centreId: string }
  | { type: 'ErasePersonalData'; candidateId: string; erasedBy: string; legalBasis: string };

export interface CandidateState {
  registered: boolean;
  registeredBy?: string;
  erased: boolean;
}

export const candidateStream = (candidateId: string) => `candidate#${candidateId}`;

function decide(command: CandidateCommand, state: CandidateState): CandidateEvent[] {
  switch (command.type) {
    case 'RegisterCandidate':
      if (state.registered) return [];
      return [{ type: 'CandidateRegistered', data: { candidateId: command.candidateId, registeredBy: command.centreId } }];
    case 'ErasePersonalData':
      if (!state.registered) throw notFound('candidate-not-found', `no candidate ${command.candidateId}`);
      if (state.erased) return [];
      return [{ type: 'PersonalDataErased', data: { candidateId: command.candidateId, erasedBy: command.erasedBy, legalBasis: command.legalBasis } }];
    default:
      return assertNever(command);
  }
}

function evolve(state: CandidateState, event: CandidateEvent): CandidateState {
  switch (event.type) {
    case 'CandidateRegistered':
      return { ...state, registered: true, registeredBy: event.data.registeredBy };
    case 'PersonalDataErased':
      return { ...state, erased: true };
    default:
      return state;
  }
}

export const candidate: Decider<CandidateCommand, CandidateState, CandidateEvent> = {
  decide,
  evolve,
  initialState: { registered: false, erased: false },
};
