import { canonicalJson } from '../events/canonical-json.js';
import type { CertificationVersion, Correspondence } from '../events/certification.js';
import type { EventData, LedgerEvent } from '../events/registry.js';
import { addYears } from './dates.js';
import { assertNever, type Decider } from './decider.js';
import { conflict, notFound, refuse } from './errors.js';

export type CertificationEvent = Extract<
  LedgerEvent,
  {
    type: 'CertificationVersionRegistered' | 'CertificationVersionRevised' | 'CertificationVersionClosed' | 'CertificationVersionProrogued' | 'CertificationVersionAmended';
  }
>;

export type CertificationCommand =
  | { type: 'RegisterCertificationVersion'; version: CertificationVersion }
  | ({ type: 'ReviseCertificationVersion' } & EventData<'CertificationVersionRevised'>)
  | { type: 'CloseCertificationVersion'; rncp: string; closedOn: string; assumptions: string[] }
  | ({ type: 'ProrogueCertificationVersion' } & Omit<EventData<'CertificationVersionProrogued'>, 'previousValidUntil'>);

export type CertificationState =
  | { status: 'unknown' }
  | {
      status: 'registered';
      version: CertificationVersion;
      revision?: { successor: string; effectiveOn: string; correspondences: Correspondence[] };
      closure?: { closedOn: string; graceUntil: string };
      /** The last day of registration, after prorogations. */
      validUntil: string;
    };

export const certificationStream = (rncp: string) => `certification#${rncp}`;

const FIXED_FIELDS: readonly (keyof CertificationVersion)[] = ['rncp', 'title', 'level', 'certifier', 'validFrom', 'validUntil', 'blocs', 'ccs'];

/**
 * The last day a session of the version may be held: its registration end, then, for CCPs usable after it
 * (titre-validity regime), the grace years in which holders of its usable CCPs may still obtain its titre
 * (art. 3 and 10 of the arrêté of 22/12/2015). The 2006 regime has no grace after the version.
 */
export const graceUntilOf = (version: CertificationVersion): string =>
  version.regime.kind === 'titre-validity' ? addYears(version.validUntil, version.regime.graceYears) : version.validUntil;

/** Whether a session ending on `endsOn` falls in the grace years, open to holders of the version's usable CCPs only. */
export const inGrace = (version: CertificationVersion, endsOn: string) => endsOn > version.validUntil;

const initialState: CertificationState = { status: 'unknown' };

function decide(command: CertificationCommand, state: CertificationState): CertificationEvent[] {
  switch (command.type) {
    case 'RegisterCertificationVersion': {
      const { version } = command;
      if (state.status === 'registered') {
        // The referential is loaded at every start: the same version again is a no-op, a different one an error.
        if (canonicalJson(state.version) === canonicalJson(version)) return [];
        const keys = [...new Set([...Object.keys(state.version), ...Object.keys(version)])] as (keyof CertificationVersion)[];
        const changed = keys.filter((k) => canonicalJson(state.version[k] ?? null) !== canonicalJson(version[k] ?? null)).sort();
        // What certificates and sessions rest on never changes; the rules read from the texts may be amended.
        const fixed = changed.filter((k) => FIXED_FIELDS.includes(k));
        if (fixed.length) throw conflict('certification-already-registered', `${version.rncp} is already registered with another ${fixed.join(', ')}`);
        return [{ type: 'CertificationVersionAmended', data: { version, changed } }];
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
    case 'CloseCertificationVersion': {
      if (state.status !== 'registered') throw notFound('certification-not-found', `${command.rncp} is not registered`);
      const { rncp, closedOn, assumptions } = command;
      if (state.closure) {
        if (state.closure.closedOn === closedOn) return [];
        throw conflict('certification-already-closed', `${rncp} was closed on ${state.closure.closedOn}`);
      }
      if (state.revision) throw refuse('certification-revised', `${rncp} was revised into ${state.revision.successor}: it is not closed`);
      if (closedOn < state.version.validFrom || closedOn > state.validUntil) {
        throw refuse('closure-outside-registration', `${rncp} is registered from ${state.version.validFrom} to ${state.validUntil}`);
      }
      const graceUntil = graceUntilOf({ ...state.version, validUntil: closedOn });
      return [{ type: 'CertificationVersionClosed', data: { rncp, closedOn, graceUntil, assumptions } }];
    }
    case 'ProrogueCertificationVersion': {
      if (state.status !== 'registered') throw notFound('certification-not-found', `${command.rncp} is not registered`);
      const { type: _, ...prorogation } = command;
      if (state.validUntil === prorogation.validUntil) return [];
      if (state.closure) throw refuse('certification-closed', `${command.rncp} was closed on ${state.closure.closedOn}`);
      if (state.revision) throw refuse('certification-revised', `${command.rncp} was revised into ${state.revision.successor}`);
      if (prorogation.validUntil < state.validUntil) throw refuse('prorogation-shortens', `${command.rncp} is registered until ${state.validUntil}: a prorogation extends it`);
      return [{ type: 'CertificationVersionProrogued', data: { ...prorogation, previousValidUntil: state.validUntil } }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: CertificationState, event: CertificationEvent): CertificationState {
  switch (event.type) {
    case 'CertificationVersionRegistered':
      return { status: 'registered', version: event.data, validUntil: event.data.validUntil };
    case 'CertificationVersionRevised':
      if (state.status !== 'registered') return state;
      return { ...state, revision: event.data };
    case 'CertificationVersionAmended':
      if (state.status !== 'registered') return state;
      return { ...state, version: event.data.version };
    case 'CertificationVersionClosed':
      if (state.status !== 'registered') return state;
      return { ...state, closure: { closedOn: event.data.closedOn, graceUntil: event.data.graceUntil }, validUntil: event.data.closedOn };
    case 'CertificationVersionProrogued':
      if (state.status !== 'registered') return state;
      return { ...state, validUntil: event.data.validUntil };
    default:
      return state;
  }
}

export const certification: Decider<CertificationCommand, CertificationState, CertificationEvent> = {
  decide,
  evolve,
  initialState,
};
