import type { LedgerEvent } from '../events/registry.js';

/**
 * A pure decision function and its fold. `decide` returns the events a command produces ([] when it is
 * already done) or throws a DomainError; `evolve` never throws. Time and ids come inside the command.
 */
export interface Decider<Command, State, Event extends LedgerEvent = LedgerEvent> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

export const fold = <S, E>(evolve: (s: S, e: E) => S, initial: S, events: readonly E[]): S => events.reduce(evolve, initial);

export function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
