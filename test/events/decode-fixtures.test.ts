import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent } from '../../events/define-event.js';
import { decodeEvent, eventDefinitions, encodeEvent } from '../../events/registry.js';

const dir = join(import.meta.dirname, 'fixtures');
const meta = { occurredAt: '2025-01-01T00:00:00.000Z', actor: 'system:test', correlationId: 'c', causationId: 'c' };

/**
 * Every version of every event type ever stored has a fixture of its stored `data` (`<Type>.v<N>.json`), and it
 * decodes to the current shape: `{ "stored": …, "current"?: … }`, `current` defaulting to `stored`.
 */
describe('stored events of every version decode to the current shape', () => {
  for (const definition of eventDefinitions) {
    for (const version of Object.keys(definition.versions).map(Number)) {
      it(`${definition.type} v${version}`, () => {
        const file = join(dir, `${definition.type}.v${version}.json`);
        expect(existsSync(file), `missing fixture ${file}`).toBe(true);
        const fixture = JSON.parse(readFileSync(file, 'utf8')) as { stored: unknown; current?: unknown };
        const decoded = decodeEvent({ eventId: 'e', type: definition.type, schemaVersion: version, data: fixture.stored, meta });
        expect(decoded).toEqual({ type: definition.type, data: fixture.current ?? fixture.stored });
        // What decodes re-encodes at the latest version without loss.
        expect(encodeEvent(decoded).data).toEqual(decoded.data);
      });
    }
  }
});

describe('versioning mechanism', () => {
  const Renamed = defineEvent(
    'Renamed',
    {
      1: z.object({ at: z.string() }),
      2: z.object({ on: z.string() }),
      latest: z.object({ on: z.string(), channel: z.enum(['web', 'pos']) }),
    },
    { 1: (d: { at: string }) => ({ on: d.at }), 2: (d: { on: string }) => ({ ...d, channel: 'web' }) },
  );

  it('numbers versions from 1 and upcasts each stored version through every later one', () => {
    expect(Renamed.latest).toBe(3);
    expect(Renamed.upcast(1, { at: '2020-01-01' })).toEqual({ on: '2020-01-01', channel: 'web' });
    expect(Renamed.upcast(2, { on: '2020-01-01' })).toEqual({ on: '2020-01-01', channel: 'web' });
    expect(Renamed.upcast(3, { on: '2020-01-01', channel: 'pos' })).toEqual({ on: '2020-01-01', channel: 'pos' });
  });

  it('refuses stored data that does not match its own version', () => {
    expect(() => Renamed.upcast(1, { on: 'x' })).toThrow();
    expect(() => Renamed.upcast(9, {})).toThrow(/no schema/);
  });

  it('refuses an unknown event type', () => {
    expect(() => decodeEvent({ eventId: 'e', type: 'NeverHeardOf', schemaVersion: 1, data: {}, meta })).toThrow(/unknown event type/);
  });
});
