// What forms pick from instead of asking for free text: the 18 regions, and the certification versions open today.
import { regionsAlphabetically } from '../../../referential/regions.js';

export const regionOptions = () => regionsAlphabetically().map((r) => ({ value: r.name, label: r.name }));

const today = () => new Date().toISOString().slice(0, 10);

/** A version registered today (validFrom ≤ today ≤ validUntil): the sensible default of a form. */
export const openToday = (v: { validFrom: string; validUntil: string }, on = today()) => v.validFrom <= on && on <= v.validUntil;

/** The first version open today, else the latest registered: never one closed for years (RNCP12505 closed in 2019). */
export function defaultVersion<T extends { rncp: string; validFrom: string; validUntil: string }>(versions: readonly T[]): string | undefined {
  return (versions.find((v) => openToday(v)) ?? [...versions].sort((a, b) => b.validUntil.localeCompare(a.validUntil))[0])?.rncp;
}
