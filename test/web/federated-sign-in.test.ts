import { describe, expect, it } from 'vitest';
import { REFUSED_MESSAGE } from '../../functions/accounts/federated-sign-in.js';
import { isFederatedProvider, signInReturnOf } from '../../web/src/lib/federated-sign-in.js';

// Cognito's answers on the redirect back to /connexion, as URLSearchParams decodes them.
const LINKED = 'Already found an entry for username FranceConnect_8f2c4e1a ';
const REFUSED = `PreSignUp failed with error ${REFUSED_MESSAGE}.`;

describe('/connexion, back from Cognito with an error (issue 18)', () => {
  it('given the known failure of a first sign-in just linked, when this tab started it with FranceConnect, then it starts again once', () => {
    expect(signInReturnOf(LINKED, { provider: 'FranceConnect' })).toEqual({ kind: 'retry', provider: 'FranceConnect' });
    expect(signInReturnOf(LINKED.toLowerCase(), { provider: 'ProConnect' })).toEqual({ kind: 'retry', provider: 'ProConnect' });
  });

  it('given the same failure after the retry, then no loop: the person is told to click again', () => {
    const outcome = signInReturnOf(LINKED, { provider: 'FranceConnect', retried: true });
    expect(outcome.kind).toBe('failed');
    expect(outcome).toMatchObject({ message: expect.stringMatching(/reliée/) });
  });

  it('given no request of this tab (another tab, a crafted link), then nothing starts', () => {
    expect(signInReturnOf(LINKED, {}).kind).toBe('failed');
    expect(signInReturnOf(LINKED, { provider: 'Google' }).kind).toBe('failed');
  });

  it('given the trigger refused (nobody invited with that email), then its French message is shown, and nothing starts', () => {
    expect(signInReturnOf(REFUSED, { provider: 'FranceConnect' })).toEqual({ kind: 'refused', message: REFUSED_MESSAGE });
  });

  it('given any other error, then a plain failure', () => {
    expect(signInReturnOf('access_denied', { provider: 'FranceConnect' })).toEqual({ kind: 'failed', message: 'La connexion a échoué : recommencez.' });
    expect(signInReturnOf(null, {}).kind).toBe('failed');
  });

  it('knows the two providers only', () => {
    expect(['FranceConnect', 'ProConnect', 'toString', 'Cognito'].map(isFederatedProvider)).toEqual([true, true, false, false]);
  });
});
