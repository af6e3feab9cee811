// FranceConnect and ProConnect on /connexion: which button starts which provider, and what Cognito's answer on the
// way back means. No DOM here, so a node test reads it as the page does.

/** The providers the stack may publish in /config.json, as the user pool names them (infra/constructs/ledger-sign-in.ts). */
export const FEDERATED_BUTTONS = {
  FranceConnect: {
    // The wording of the State's design system (DSFR, "Bouton FranceConnect"): "S’identifier avec FranceConnect",
    // and beside it the link "Qu’est-ce que FranceConnect ?" opening franceconnect.gouv.fr in a new window.
    brand: 'FranceConnect',
    who: 'Candidats : avec le compte d’un service public que vous avez déjà (impots.gouv.fr, ameli.fr, l’Identité Numérique La Poste…).',
    about: 'https://franceconnect.gouv.fr/',
  },
  ProConnect: {
    brand: 'ProConnect',
    who: 'Centres, jurés, agents de la DREETS et du ministère : avec votre compte professionnel.',
    about: 'https://www.proconnect.gouv.fr/',
  },
} as const;
export type FederatedProviderName = keyof typeof FEDERATED_BUTTONS;
export const isFederatedProvider = (name: unknown): name is FederatedProviderName => typeof name === 'string' && Object.hasOwn(FEDERATED_BUTTONS, name);

/**
 * Cognito's known answer to a first federated sign-in that its pre sign-up trigger linked to an invited account: the
 * link is made, but that sign-in fails (`error_description=Already found an entry for username <Provider>_<sub>`), and
 * the next one succeeds as the invited account (aws-amplify/amplify-js#11565, aws-amplify/amplify-flutter#1716).
 */
const LINKED_ON_FIRST_SIGN_IN = /already found an entry for username/i;
/** How Cognito passes on the trigger's refusal: `PreSignUp failed with error <its message>.` */
const TRIGGER_REFUSAL = /^PreSignUp failed with error (.*?)\.?\s*$/s;

export type SignInReturn = { kind: 'retry'; provider: FederatedProviderName } | { kind: 'refused'; message: string } | { kind: 'failed'; message: string };

/**
 * What an error on the way back from Cognito means: a first FranceConnect or ProConnect sign-in that was just linked
 * is started once more (the provider's session is still open, so the person is not asked again); a second such
 * answer is not retried (no loop); the trigger's refusal is shown as it says it; anything else is a failure.
 */
export function signInReturnOf(errorDescription: string | null, saved: { provider?: string; retried?: boolean }): SignInReturn {
  const description = (errorDescription ?? '').trim();
  if (LINKED_ON_FIRST_SIGN_IN.test(description) && isFederatedProvider(saved.provider) && !saved.retried) return { kind: 'retry', provider: saved.provider };
  const refusal = TRIGGER_REFUSAL.exec(description);
  if (refusal?.[1]) return { kind: 'refused', message: refusal[1].trim().replace(/\.?$/, '.') };
  if (LINKED_ON_FIRST_SIGN_IN.test(description)) {
    return { kind: 'failed', message: 'Votre identité vient d’être reliée à votre compte, mais la connexion n’a pas abouti : cliquez de nouveau sur le bouton.' };
  }
  return { kind: 'failed', message: 'La connexion a échoué : recommencez.' };
}

/** The message shown while the linked sign-in starts again. */
export const LINKED_RETRY_MESSAGE = 'Votre identité vient d’être reliée au compte auquel vous avez été invité : la connexion reprend.';
