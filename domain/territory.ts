import { forbidden } from './errors.js';

/**
 * Territorial competence (DESIGN.md rule 16): a DREETS agent decides for its own region only (agréments,
 * habilitations, PV validation, équivalences, and what it decides on a session or a candidate: recusals,
 * accommodations, VAE recevabilité). An agent whose account carries no region acts for no territory:
 * every invited DREETS account has one, so its absence is a misconfiguration, and failing closed is the safe reading.
 * A subject recorded before regions were (`region` undefined) is left to any regional agent.
 */
export function requireTerritory(actingRegion: string | undefined, region: string | undefined, what: string) {
  if (actingRegion === undefined) throw forbidden('outside-territory', `this DREETS account has no region (custom:region): it cannot decide on ${what}`);
  if (region !== undefined && region !== actingRegion) throw forbidden('outside-territory', `${what} is in ${region}; this agent acts for ${actingRegion}`);
}
