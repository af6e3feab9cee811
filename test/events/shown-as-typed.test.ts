import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Label, PersonName, shownText } from '../../events/define-event.js';
import * as z from '../../events/zod.js';

// Issue 17, D4: an invisible format character made "Du\u200Bpont" another name than "Dupont", shown alike.
const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ'];
/** What French names and labels are made of: letters with diacritics, both apostrophes, hyphens, spaces. */
const frenchName = fc
  .tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...LETTERS, '’', "'", '-', ' '), { maxLength: 60 }), fc.constantFrom(...LETTERS))
  .map(([first, middle, last]) => first + middle.join('') + last);
/** Every format character (Unicode category Cf) of the Basic Multilingual Plane and a few beyond it. */
const FORMAT_CHARACTERS = [...Array(0x10000).keys(), 0x110bd, 0x1d173, 0xe0001, 0xe0020].map((cp) => String.fromCodePoint(cp)).filter((c) => /^\p{Cf}$/u.test(c));
const schemas = { PersonName, Label, text: shownText(1000) };

describe('names and labels refuse format characters (Cf), and keep what French names are made of (issue 17, D4)', () => {
  it('the sample holds the invisible ones the attack used', () => {
    expect(FORMAT_CHARACTERS).toEqual(expect.arrayContaining(['\u200B', '\uFEFF', '\u00AD', '\u2060', '\u202E', '\u2066']));
  });

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: a name of letters with diacritics, apostrophes, hyphens and spaces passes, as typed`, () => {
      fc.assert(
        fc.property(frenchName, (typed) => {
          expect(z.parse(schema, typed)).toBe(typed);
        }),
      );
    });

    it(`${name}: the same with one format character anywhere in it is refused, never kept`, () => {
      fc.assert(
        fc.property(frenchName, fc.constantFrom(...FORMAT_CHARACTERS), fc.nat(), (typed, format, at) => {
          const i = at % (typed.length + 1);
          const result = z.safeParse(schema, typed.slice(0, i) + format + typed.slice(i));
          // Refused, or (U+FEFF at either end, which JavaScript's trim takes for a space) trimmed back to the name alone.
          if (result.success) expect([result.data, format, i === 0 || i === typed.length]).toEqual([typed, '\uFEFF', true]);
        }),
      );
    });
  }

  it('the joiners stay where writing needs them: Persian, Devanagari, an emoji sequence', () => {
    for (const typed of ['می\u200Cخواهم', 'क्\u200Dष', 'Nguyễn-Øster 王 👩‍🔧', '👩🏽‍🔧']) expect(z.safeParse(PersonName, typed).success, typed).toBe(true);
    for (const typed of ['Du\u200Cpont', 'Du\u200Dpont', '\u200DDupont']) expect(z.safeParse(PersonName, typed).success, JSON.stringify(typed)).toBe(false);
  });
});
