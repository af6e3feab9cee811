import { expect } from 'vitest';
import type { Decider } from '../../domain/decider.js';
import { DomainError } from '../../domain/errors.js';
import type { LedgerEvent } from '../../events/registry.js';

/**
 * Given/when/then for a decider: `given(past events).when(command).then(new events)`, or
 * `.thenRefused(code)` for a rule of the domain, or `.thenNothing()` for an idempotent repeat.
 */
export function specFor<C, S, E extends LedgerEvent>(decider: Decider<C, S, E>) {
  return {
    given(events: E[] = []) {
      const state = events.reduce(decider.evolve, decider.initialState);
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenRefused(code: string) {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error, `expected a refusal ${code}`).toBeInstanceOf(DomainError);
              expect((error as DomainError).code).toBe(code);
            },
            /** For assertions the exact event list would over-specify. */
            thenEvents(check: (events: E[]) => void) {
              check(run());
            },
          };
        },
      };
    },
  };
}
