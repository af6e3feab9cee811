import * as z from './zod.js';
import { IsoInstant } from './define-event.js';

export const EventMeta = z.object({
  occurredAt: IsoInstant,
  /** Who decided: `<role>:<sub>`, or `system:<component>` for the workflows and the loader. */
  actor: z.string().check(z.minLength(1)),
  correlationId: z.string().check(z.minLength(1)),
  causationId: z.string().check(z.minLength(1)),
});
export type EventMeta = z.infer<typeof EventMeta>;

/** An event as it is stored inside a commit item. `data` is decoded against its type's schema on read. */
export const StoredEvent = z.object({
  eventId: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  schemaVersion: z.number().check(z.int(), z.positive()),
  data: z.unknown(),
  meta: EventMeta,
});
export type StoredEvent = z.infer<typeof StoredEvent>;

export const Commit = z.object({
  stream: z.string().check(z.minLength(1)),
  /** Stream version of the first event in this commit (versions start at 1). */
  version: z.number().check(z.int(), z.positive()),
  last: z.number().check(z.int(), z.positive()),
  events: z.array(StoredEvent).check(z.minLength(1)),
  commandId: z.string().check(z.minLength(1)),
  recordedAt: IsoInstant,
  prevHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type Commit = z.infer<typeof Commit>;

export const GENESIS_HASH = '0'.repeat(64);
