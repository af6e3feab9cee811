import { canonicalJson } from '../events/canonical-json.js';
import type { CertificationVersion, Correspondence } from '../events/certification.js';
import type { EventData, LedgerEvent } from '../events/registry.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, notFound, refuse } from './errors.js';

export type CertificationEvent = Extract<LedgerEvent, { type: 'CertificationVersionRegistered' | 'CertificationVersionRevised' }>;

export type CertificationCommand =
  | { type: 'RegisterCertificationVersion'; version: CertificationVersion }
  | ({ type: 'ReviseCertificationVersion' } & EventData<'CertificationVersionRevised'>);

export type CertificationState =
  | { status: 'unknown' }
  | {
      status: 'registered';
      version: CertificationVersion;
      revision?: { successor: string; effectiveOn: string; correspondences: Correspondence[] };
    };

export const certificationStream = (rncp: string) => `certification#${rncp}`;

const initialState: CertificationState = { status: 'unknown' };

function decide(command: CertificationCommand, state: CertificationState): CertificationEvent[] {
  switch (command.type) {
    case 'RegisterCertificationVersion': {
      const { version } = command;
      if (state.status === 'registered') {
        // The referential is loaded at every start: the same version again is a no-op, a different one an error.
        if (canonicalJson(state.version) === canonicalJson(version)) return [];
        throw conflict('certification-already-registered', `${version.rncp} is already registered with other content`);
      }
      if (version.validUntil <= version.validFrom) throw refuse('invalid-validity-window', 'validUntil must follow validFrom');
      const codes = version.blocs.map((b) => b.code);
      if (new Set(codes).size !== codes.length) throw refuse('duplicate-bloc-code', 'bloc codes must be unique');
      return [{ type: 'CertificationVersionRegistered', data: version }];
    }
    case 'ReviseCertificationVersion': {
      if (state.status !== 'registered') throw notFound('certification-not-found', `${command.rncp} is not registered`);
      const { type: _, ...revision } = command;
      if (state.revision) {
        if (state.revision.successor === revision.successor) return [];
        throw conflict('certification-already-revised', `${command.rncp} was already revised into ${state.revision.successor}`);
      }
      const known = new Set(state.version.blocs.map((b) => b.code));
      const unknown = revision.correspondences.flatMap((c) => c.from).filter((code) => !known.has(code));
      if (unknown.length) throw refuse('unknown-bloc', `no bloc ${unknown.join(', ')} in ${command.rncp}`);
      return [{ type: 'CertificationVersionRevised', data: revision }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: CertificationState, event: CertificationEvent): CertificationState {
  switch (event.type) {
    case 'CertificationVersionRegistered':
      return { status: 'registered', version: event.data };
    case 'CertificationVersionRevised':
      if (state.status !== 'registered') return state;
      return { ...state, revision: event.data };
    default:
      return state;
  }
}

export const certification: Decider<CertificationCommand, CertificationState, CertificationEvent> = {
  decide,
  evolve,
  initialState,
};
