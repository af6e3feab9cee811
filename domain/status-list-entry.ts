import type { EventData, LedgerEvent } from '../events/registry.js';
import type { Decider } from './decider.js';
import { conflict } from './errors.js';

export type StatusListEntryEvent = Extract<LedgerEvent, { type: 'StatusListEntryReserved' }>;

/** Gives one entry of a revocation status list to one certificate; the index was drawn at random by the caller. */
export type StatusListEntryCommand = { type: 'ReserveStatusListEntry' } & EventData<'StatusListEntryReserved'>;

export type StatusListEntryState = { reservedFor?: string };

/** One stream per entry: its first reservation is the only one, so no two credentials share a status bit. */
export const statusListEntryStream = (listId: string, index: number) => `status-list-entry#${listId}#${index}`;

function decide(command: StatusListEntryCommand, state: StatusListEntryState): StatusListEntryEvent[] {
  const { type: _, ...reserved } = command;
  if (state.reservedFor === command.code) return [];
  if (state.reservedFor) throw conflict('status-list-entry-taken', `entry ${command.index} of ${command.listId} belongs to another certificate`);
  return [{ type: 'StatusListEntryReserved', data: reserved }];
}

const evolve = (state: StatusListEntryState, event: StatusListEntryEvent): StatusListEntryState =>
  event.type === 'StatusListEntryReserved' ? { reservedFor: event.data.code } : state;

export const statusListEntry: Decider<StatusListEntryCommand, StatusListEntryState, StatusListEntryEvent> = {
  decide,
  evolve,
  initialState: {},
};
