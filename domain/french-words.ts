/**
 * Dates and elisions as a French reader expects them, shared by the pages, the PDFs and the notifications so
 * they all write « 1er décembre 2025 » and « d’Élodie » the same way. Pure: no locale data needed.
 */

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** '2025-10-06' → '6 octobre 2025'; the first of a month is « 1er » ('2025-12-01' → '1er décembre 2025'). */
export function frenchDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const day = Number(m[3]);
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${day === 1 ? '1er' : day} ${month} ${Number(m[1])}` : date;
}

/** A word starting with a vowel sound (names and nouns alike): « de » and « que » elide before it. */
const startsWithVowel = (word: string) => /^[aàâäeéèêëiîïoôöuùûüyœæ]/i.test(word.trim());

/** « de Léa », « d’Élodie ». */
export const deFr = (word: string) => (startsWithVowel(word) ? `d’${word.trim()}` : `de ${word.trim()}`);

/** « que Juré », « qu’agent de la DREETS ». */
export const queFr = (word: string) => (startsWithVowel(word) ? `qu’${word.trim()}` : `que ${word.trim()}`);
