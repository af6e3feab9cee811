/**
 * Registering a centre (or a juror) is two writes: the registration, then its agrément (habilitation). The second
 * can be refused after the first succeeded; the form must then neither lose the centre nor create a second one
 * when it is submitted again. So the flow remembers what it registered for the form as filled: a resubmission of
 * the same registration goes on with the grant only, and a retry of a registration whose answer was lost reuses
 * its Idempotency-Key (the API replays the first answer instead of registering twice).
 */

/** A calendar date the API and a reader accept: YYYY-MM-DD, a real day, a four-digit year. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** What a date field's value has wrong, in French, or undefined when it is a date on or after `today`. */
export function dateProblem(label: string, value: string, today: string): string | undefined {
  if (!value) return `Le champ « ${label} » est obligatoire.`;
  if (!isCalendarDate(value)) return `Le champ « ${label} » n’a pas le format attendu (une date comme 31/12/2027, année sur quatre chiffres).`;
  if (value < today) return `Le champ « ${label} » doit être une date à venir.`;
  return undefined;
}

export interface TwoStepSteps<R, G> {
  /** The registration, sent with the Idempotency-Key given; answers the new id. */
  register: (body: R, idempotencyKey: string) => Promise<string>;
  grant: (id: string, body: G) => Promise<void>;
  newKey: () => string;
}

/** The grant was refused after the registration succeeded: the id registered and the grant's refusal. */
export class GrantRefused extends Error {
  constructor(
    readonly id: string,
    readonly refusal: unknown,
  ) {
    super(refusal instanceof Error ? refusal.message : String(refusal));
    this.name = 'GrantRefused';
  }
}

export function twoStepRegistration<R, G>(steps: TwoStepSteps<R, G>) {
  let pending: { fingerprint: string; key: string; id?: string } | undefined;
  return {
    /** Registers (unless this same registration already was) then grants; GrantRefused if only the first held. */
    async submit(registration: R, grant: G): Promise<{ id: string; registered: boolean }> {
      const fingerprint = JSON.stringify(registration);
      if (pending?.fingerprint !== fingerprint) pending = { fingerprint, key: steps.newKey() };
      const current = pending;
      const registered = current.id === undefined;
      current.id ??= await steps.register(registration, current.key);
      try {
        await steps.grant(current.id, grant);
      } catch (error) {
        throw new GrantRefused(current.id, error);
      }
      pending = undefined;
      return { id: current.id, registered };
    },
    /** The form was cleared or filled for another one: the next submission is a new registration. */
    forget() {
      pending = undefined;
    },
  };
}
