import type { CertificationVersion } from '../events/certification.js';
import type { EventData, LedgerEvent } from '../events/registry.js';
import type { DateWindow } from './dates.js';
import { assertNever, type Decider } from './decider.js';
import { graceUntilOf } from './certification.js';
import { conflict, notFound, refuse } from './errors.js';
import { requireTerritory } from './territory.js';

export type JurorEvent = Extract<LedgerEvent, { type: 'JurorRegistered' | 'HabilitationGranted' }>;

export type JurorCommand =
  | ({ type: 'RegisterJuror' } & EventData<'JurorRegistered'>)
  | {
      type: 'GrantHabilitation';
      jurorId: string;
      rncp: string;
      validFrom: string;
      validUntil: string;
      /** The version as the referential has it (loaded by the handler); undefined when there is none. */
      certification: CertificationVersion | undefined;
      /** The deciding DREETS agent's region (`custom:region`). */
      actingRegion: string | undefined;
    };

export interface Habilitation extends DateWindow {
  rncp: string;
}

export type JurorState = { status: 'unknown' } | { status: 'registered'; jurorId: string; independent: boolean; region?: string; habilitations: Habilitation[] };

export const jurorStream = (jurorId: string) => `juror#${jurorId}`;

const initialState: JurorState = { status: 'unknown' };

function decide(command: JurorCommand, state: JurorState): JurorEvent[] {
  switch (command.type) {
    case 'RegisterJuror': {
      const { type: _, ...data } = command;
      if (state.status === 'registered') {
        if (state.independent === data.independent && state.region === data.region) return [];
        throw conflict('juror-already-registered', `juror ${data.jurorId} is already registered with other details`);
      }
      return [{ type: 'JurorRegistered', data }];
    }
    case 'GrantHabilitation': {
      const { jurorId, rncp, validFrom, validUntil, certification } = command;
      if (state.status !== 'registered') throw notFound('juror-not-found', `no juror ${jurorId}`);
      requireTerritory(command.actingRegion, state.region, `juror ${jurorId}`);
      if (!certification) throw notFound('certification-not-found', `no certification ${rncp}`);
      if (validUntil < validFrom) throw refuse('invalid-validity-window', 'validUntil must not precede validFrom');
      // Into the grace years only where the referential says so (assumption agrementsExtendIntoGrace).
      const cap = certification.agrementsExtendIntoGrace ? graceUntilOf(certification) : certification.validUntil;
      if (validUntil > cap) {
        throw refuse(
          'habilitation-beyond-version',
          `${rncp} is registered until ${certification.validUntil}${cap > certification.validUntil ? ` (its grace years until ${cap})` : ''}: a habilitation cannot outlive it`,
        );
      }
      if (state.habilitations.some((h) => h.rncp === rncp && h.validFrom === validFrom && h.validUntil === validUntil)) return [];
      return [{ type: 'HabilitationGranted', data: { jurorId, rncp, validFrom, validUntil } }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: JurorState, event: JurorEvent): JurorState {
  switch (event.type) {
    case 'JurorRegistered':
      return { status: 'registered', ...event.data, habilitations: [] };
    case 'HabilitationGranted': {
      if (state.status !== 'registered') return state;
      const { rncp, validFrom, validUntil } = event.data;
      return { ...state, habilitations: [...state.habilitations, { rncp, validFrom, validUntil }] };
    }
    default:
      return state;
  }
}

export const juror: Decider<JurorCommand, JurorState, JurorEvent> = { decide, evolve, initialState };
