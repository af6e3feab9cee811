import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../events/canonical-json.js';

/** The first implementation, kept as the oracle: every hash already in a ledger was computed by it. */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => referenceCanonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
}

// JSON values with keys that sort differently as numbers and as text ("10" < "9"), non-ASCII and astral keys,
// and undefined members (left out) at any depth.
const key = fc.oneof(fc.string(), fc.constantFrom('10', '9', '0', '-1', 'é', 'z', 'Z', '\u{1F600}', '\uFFFF', ''));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: 'grapheme' }),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
}));

describe('canonical JSON', () => {
  it('given any JSON value, when serialised, then it is byte for byte what the first implementation wrote', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys as text at every depth and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: { 9: true, 10: false, c: undefined }, '': [undefined, 'x'] })).toBe('{"":[null,"x"],"a":{"10":false,"9":true},"b":1}');
  });
});
