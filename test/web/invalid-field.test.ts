import { describe, expect, it } from 'vitest';
import { invalidSentence } from '../../web/src/lib/dom.js';

const validity = (
  flags: Partial<Record<'valueMissing' | 'typeMismatch' | 'badInput' | 'patternMismatch' | 'rangeUnderflow' | 'rangeOverflow' | 'tooShort' | 'tooLong', boolean>>,
) => ({
  valueMissing: false,
  typeMismatch: false,
  badInput: false,
  patternMismatch: false,
  rangeUnderflow: false,
  rangeOverflow: false,
  tooShort: false,
  tooLong: false,
  ...flags,
});

/** What the browser's own check finds, said next to the field in the form's words. */
describe('a field the browser finds invalid, in French', () => {
  it('an email of the wrong shape does not have the expected format (it is not « incomplete »)', () => {
    expect(invalidSentence('Courriel', validity({ typeMismatch: true }))).toBe('Le champ « Courriel » n’a pas le format attendu.');
  });
  it('a missing field is required; a date before its minimum says the minimum in words', () => {
    expect(invalidSentence('Nom du centre', validity({ valueMissing: true }))).toBe('Le champ « Nom du centre » est obligatoire.');
    expect(invalidSentence('Agrément valable jusqu’au', validity({ rangeUnderflow: true }), { min: '1er décembre 2026', date: true })).toBe(
      'Le champ « Agrément valable jusqu’au » ne doit pas précéder le 1er décembre 2026.',
    );
    expect(invalidSentence('Année', validity({ rangeOverflow: true }), { max: '2099' })).toBe('Le champ « Année » doit valoir au plus 2099.');
  });
});
