import { describe, expect, it } from 'vitest';
import { deFr, frenchDate, queFr } from '../../domain/french-words.js';
import { connectedAs, dateFr } from '../../web/src/lib/format.js';

describe('French dates and elisions, shared by pages, PDFs and notifications', () => {
  it('the first of a month is « 1er »; the pages use the same formatter', () => {
    expect(frenchDate('2025-12-01')).toBe('1er décembre 2025');
    expect(frenchDate('2025-10-06')).toBe('6 octobre 2025');
    expect(dateFr('2025-12-01T10:00:00.000Z')).toBe('1er décembre 2025');
    expect(dateFr(undefined)).toBe('—');
  });

  it('« de » and « que » elide before a vowel sound, capital and accented included', () => {
    expect(deFr('Élodie Martin')).toBe('d’Élodie Martin');
    expect(deFr('Léa Durand')).toBe('de Léa Durand');
    expect(queFr('agent de la DREETS')).toBe('qu’agent de la DREETS');
    expect(connectedAs(['Agent de la DREETS'])).toBe('Connecté en tant qu’agent de la DREETS.');
    expect(connectedAs(['Centre d’examen', 'Juré'])).toBe('Connecté en tant que centre d’examen, juré.');
  });
});
