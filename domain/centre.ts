import type { CertificationVersion } from '../events/certification.js';
import type { EventData, LedgerEvent } from '../events/registry.js';
import type { DateWindow } from './dates.js';
import { assertNever, type Decider } from './decider.js';
import { graceUntilOf } from './certification.js';
import { conflict, notFound, refuse } from './errors.js';
import { requireTerritory } from './territory.js';

export type CentreEvent = Extract<LedgerEvent, { type: 'CentreRegistered' | 'AgrementGranted' }>;

export type CentreCommand =
  | ({
      type: 'RegisterCentre';
      /** The registering DREETS agent's region (`custom:region`): a centre is registered in its own territory only. */
      actingRegion: string | undefined;
    } & EventData<'CentreRegistered'>)
  | {
      type: 'GrantAgrement';
      centreId: string;
      rncp: string;
      validFrom: string;
      validUntil: string;
      /** The version as the referential has it (loaded by the handler); undefined when there is none. */
      certification: CertificationVersion | undefined;
      /** The deciding DREETS agent's region (`custom:region`). */
      actingRegion: string | undefined;
      /** The CCS of the version the centre may also examine. */
      ccs?: string[];
      /** The ledger's date when the DREETS decides. */
      today: string;
    };

export interface Agrement extends DateWindow {
  rncp: string;
  ccs?: string[];
}

export type CentreState = { status: 'unknown' } | { status: 'registered'; centreId: string; name: string; region: string; agrements: Agrement[] };

export const centreStream = (centreId: string) => `centre#${centreId}`;

const initialState: CentreState = { status: 'unknown' };

function decide(command: CentreCommand, state: CentreState): CentreEvent[] {
  switch (command.type) {
    case 'RegisterCentre': {
      const { type: _, actingRegion, ...data } = command;
      // Registered elsewhere, the centre could get no agrément from its own DREETS nor from this one: half-made.
      requireTerritory(actingRegion, data.region, `a centre in ${data.region}`);
      if (state.status === 'registered') {
        if (state.name === data.name && state.region === data.region) return [];
        throw conflict('centre-already-registered', `centre ${data.centreId} is already registered with other details`);
      }
      return [{ type: 'CentreRegistered', data }];
    }
    case 'GrantAgrement': {
      const { centreId, rncp, validFrom, validUntil, certification } = command;
      if (state.status !== 'registered') throw notFound('centre-not-found', `no centre ${centreId}`);
      requireTerritory(command.actingRegion, state.region, `centre ${centreId}`);
      if (!certification) throw notFound('certification-not-found', `no certification ${rncp}`);
      if (validUntil < validFrom) throw refuse('invalid-validity-window', 'validUntil must not precede validFrom');
      // An agrément is granted for sessions to come: one already over, or starting before the version exists, authorises nothing.
      if (validUntil < command.today) throw refuse('agrement-already-expired', `an agrément valid until ${validUntil} would have ended before today (${command.today})`);
      if (validFrom < certification.validFrom) {
        throw refuse('agrement-before-version', `${rncp} is registered from ${certification.validFrom}: an agrément cannot start before it`);
      }
      // Into the grace years only where the referential says so (assumption agrementsExtendIntoGrace).
      const cap = certification.agrementsExtendIntoGrace ? graceUntilOf(certification) : certification.validUntil;
      if (validUntil > cap) {
        throw refuse(
          'agrement-beyond-version',
          `${rncp} is registered until ${certification.validUntil}${cap > certification.validUntil ? ` (its grace years until ${cap})` : ''}: an agrément cannot outlive it`,
        );
      }
      const ccs = command.ccs ?? [];
      const unknown = ccs.filter((code) => !certification.ccs.some((c) => c.code === code));
      if (unknown.length) throw refuse('unknown-ccs', `${rncp} has no CCS ${unknown.join(', ')}`);
      const same = (a: Agrement) => a.rncp === rncp && a.validFrom === validFrom && a.validUntil === validUntil && (a.ccs ?? []).join() === ccs.join();
      if (state.agrements.some(same)) return [];
      return [{ type: 'AgrementGranted', data: { centreId, rncp, validFrom, validUntil, ...(ccs.length ? { ccs } : {}) } }];
    }
    default:
      return assertNever(command);
  }
}

function evolve(state: CentreState, event: CentreEvent): CentreState {
  switch (event.type) {
    case 'CentreRegistered':
      return { status: 'registered', ...event.data, agrements: [] };
    case 'AgrementGranted': {
      if (state.status !== 'registered') return state;
      const { rncp, validFrom, validUntil, ccs } = event.data;
      return { ...state, agrements: [...state.agrements, { rncp, validFrom, validUntil, ...(ccs ? { ccs } : {}) }] };
    }
    default:
      return state;
  }
}

export const centre: Decider<CentreCommand, CentreState, CentreEvent> = { decide, evolve, initialState };
