import { describe, expect, it } from 'vitest';
import { callRoute } from '../support/call-route.js';
import { memoryDeps } from '../support/memory-deps.js';
import { fieldErrorSentence } from '../../web/src/lib/field-errors.js';

/** The 400s the pages show come from the API's own zod parsing: each offending field said in French. */
describe('field errors of a 400, in French', () => {
  it('POST /centres with a region not of the 18, an empty name and an unknown field: one French sentence each, naming the field in French', async () => {
    const h = await memoryDeps();
    const res = await callRoute(h.deps, 'POST', '/centres', { as: ['dreets', 'agent-1', 'Bretagne'], body: { name: '', region: 'bretagne ', extra: 1 } });
    expect(res.status).toBe(400);
    const sentences = (res.json.errors as { path: string; message: string }[]).map((e) => fieldErrorSentence(e));
    expect(sentences).toEqual(
      expect.arrayContaining(['Le champ « région » doit être l’une des 18 régions, écrite comme dans la liste.', 'Le champ « nom » ne doit pas être vide.']),
    );
    for (const sentence of sentences) {
      expect(sentence).not.toMatch(/body\.|Invalid|expected|Too small|one of/);
      expect(sentence).toMatch(/^Le champ « .+ » .+\.$/);
      expect(sentence).not.toMatch(/n’est pas valide/); // each said precisely
    }
  });

  it('a missing field is required; a list position is not a field; a date of the wrong shape', async () => {
    const h = await memoryDeps();
    const res = await callRoute(h.deps, 'POST', '/candidates', { as: ['centre', 'c-1'], body: { familyName: 'Durand', birthDate: '14/07/1991' } });
    expect(res.status).toBe(400);
    const sentences = (res.json.errors as { path: string; message: string }[]).map((e) => fieldErrorSentence(e));
    expect(sentences).toContain('Le champ « prénoms » est obligatoire.');
    expect(sentences).toContain('Le champ « date de naissance » n’a pas le format attendu.');
    expect(fieldErrorSentence({ path: 'body.members.0', message: 'Too big: expected string to have <=36 characters' })).toBe(
      'Le champ « membres du jury » est trop long (au plus 36 caractères).',
    );
  });

  it('names a field as the form on screen labels it: « Agrément valable jusqu’au », « Blocs évalués », not the API’s names', async () => {
    const h = await memoryDeps();
    const res = await callRoute(h.deps, 'POST', '/centres/c-1/agrements', { as: ['dreets', 'agent-1', 'Bretagne'], body: { rncp: 'RNCP37674', validUntil: '22027-12-31' } });
    expect(res.status).toBe(400);
    const sentences = (res.json.errors as { path: string; message: string }[]).map((e) => fieldErrorSentence(e, { validUntil: 'Agrément valable jusqu’au' }));
    expect(sentences).toEqual(['Le champ « Agrément valable jusqu’au » n’a pas le format attendu.']);
    expect(fieldErrorSentence({ path: 'body.blocs', message: 'Too small: expected array to have >=1 items' })).toBe('Le champ « blocs évalués » doit en compter au moins 1.');
  });
});
