import type { AcquisitionVia, TitreRoute } from '../events/candidate.js';
import type { CertificationVersion, Correspondence } from '../events/certification.js';
import type { LedgerEvent } from '../events/registry.js';
import { addYears } from './dates.js';

/** What the livret needs of the referential: each version with its revision into a successor, if any. */
export interface ReferentialEntry {
  version: CertificationVersion;
  revision?: { successor: string; effectiveOn: string; correspondences: Correspondence[] };
}

/** A candidate event with the date it was recorded at in the ledger (for `asOf`). */
export type DatedEvent = Extract<LedgerEvent, { type: CandidateLivretEventType }> & { recordedOn: string };

/** The candidate events the livret is computed from: what a record keeps, and all a replay needs. */
export const livretEventTypes = ['CcpAcquired', 'TitreIssued', 'CcpUsabilityLapsed', 'CcpAcquisitionAnnulled', 'TitreAnnulled', 'CertificateCodeReserved'] as const;
export type CandidateLivretEventType = (typeof livretEventTypes)[number];
export const isLivretEvent = (type: string): type is CandidateLivretEventType => (livretEventTypes as readonly string[]).includes(type);

export type BlocVia = AcquisitionVia | { kind: 'correspondence'; from: string; blocs: string[] };

export interface LivretBloc {
  code: string;
  title?: string;
  acquired: boolean;
  acquiredAt?: string;
  via?: BlocVia;
  usableUntil?: string;
  usable: boolean;
  lapsed?: boolean;
}

export interface LivretCertification {
  rncp: string;
  title: string;
  blocs: LivretBloc[];
  /**
   * Exactly "a jury may issue the titre now": no titre yet, and every bloc held and usable, so a titre session
   * on none of the blocs (capitalisation, DESIGN.md rule 10) can issue it.
   */
  eligible: boolean;
  missing: string[];
  titre: { issuedAt: string; sessionId: string; route: TitreRoute; certificateCode: string | null } | null;
}

interface Held {
  acquiredOn: string;
  via: BlocVia;
}

/**
 * The candidate's livret as of a date: for every version where they hold something, each bloc with when and
 * how it was acquired (directly, or carried over by a revision's correspondences), until when it counts toward
 * that version's titre, and whether it still does. Pure: the same events and referential give the same livret.
 */
export function livret(events: readonly DatedEvent[], referential: ReadonlyMap<string, ReferentialEntry>, asOf: string): LivretCertification[] {
  const known = events.filter((e) => e.recordedOn <= asOf);
  const direct = new Map<string, Map<string, Held>>();
  const lapsed = new Set<string>();
  const titres = new Map<string, { issuedAt: string; sessionId: string; route: TitreRoute }>();
  const codes = new Map<string, string>();
  for (const e of known) {
    switch (e.type) {
      case 'CcpAcquired': {
        const blocs = direct.get(e.data.rncp) ?? new Map<string, Held>();
        const key = `${e.data.rncp}|${e.data.bloc}`;
        // A bloc sat again after it lapsed counts anew from its new acquisition.
        if (!blocs.has(e.data.bloc) || lapsed.has(key)) {
          blocs.set(e.data.bloc, { acquiredOn: e.data.acquiredOn, via: e.data.via });
          lapsed.delete(key);
        }
        direct.set(e.data.rncp, blocs);
        break;
      }
      case 'CcpAcquisitionAnnulled': {
        const held = direct.get(e.data.rncp)?.get(e.data.bloc);
        if (held?.via.kind === 'session' && held.via.sessionId === e.data.sessionId) direct.get(e.data.rncp)!.delete(e.data.bloc);
        break;
      }
      case 'CcpUsabilityLapsed':
        lapsed.add(`${e.data.rncp}|${e.data.bloc}`);
        break;
      case 'TitreIssued':
        if (!titres.has(e.data.rncp)) titres.set(e.data.rncp, { issuedAt: e.data.issuedOn, sessionId: e.data.sessionId, route: e.data.route });
        break;
      case 'TitreAnnulled':
        if (titres.get(e.data.rncp)?.sessionId === e.data.sessionId) titres.delete(e.data.rncp);
        break;
      case 'CertificateCodeReserved':
        if (e.data.kind === 'titre' && !codes.has(e.data.rncp)) codes.set(e.data.rncp, e.data.code);
        break;
    }
  }

  const held = carryOver(direct, referential, asOf);
  const out: LivretCertification[] = [];
  for (const [rncp, blocs] of [...held.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry = referential.get(rncp);
    if (!entry) continue;
    const version = entry.version;
    const titre = titres.get(rncp);
    const rows: LivretBloc[] = version.blocs.map((b) => {
      const h = blocs.get(b.code);
      if (!h) return { code: b.code, title: b.title, acquired: false, usable: false };
      const usableUntil = usableUntilOf(version, h.acquiredOn);
      const isLapsed = lapsed.has(`${rncp}|${b.code}`);
      return {
        code: b.code,
        title: b.title,
        acquired: true,
        acquiredAt: h.acquiredOn,
        via: h.via,
        usableUntil,
        usable: !isLapsed && asOf <= usableUntil,
        ...(isLapsed ? { lapsed: true } : {}),
      };
    });
    const missing = rows.filter((r) => !r.usable).map((r) => r.code);
    out.push({
      rncp,
      title: version.title,
      blocs: rows,
      eligible: !titre && missing.length === 0,
      missing: titre ? [] : missing,
      titre: titre ? { ...titre, certificateCode: codes.get(rncp) ?? null } : null,
    });
  }
  for (const [rncp, titre] of titres) {
    if (held.has(rncp) || !referential.get(rncp)) continue;
    const version = referential.get(rncp)!.version;
    out.push({ rncp, title: version.title, blocs: [], eligible: false, missing: [], titre: { ...titre, certificateCode: codes.get(rncp) ?? null } });
  }
  return out;
}

/** Until when a bloc acquired on `acquiredOn` counts toward the titre of `version` (DESIGN.md rule 1). */
export function usableUntilOf(version: CertificationVersion, acquiredOn: string): string {
  const { regime } = version;
  if (regime.kind === 'titre-validity') return addYears(version.validUntil, regime.graceYears);
  // The regime of a bloc is the one in force when it was acquired; the five years never outlive the version.
  if (regime.acquiredBefore && acquiredOn >= regime.acquiredBefore) return addYears(version.validUntil, regime.laterGraceYears ?? 0);
  const fiveYears = addYears(acquiredOn, regime.years);
  return fiveYears < version.validUntil ? fiveYears : version.validUntil;
}

/**
 * Blocs held per version: direct acquisitions, plus those a revision's correspondences carry into its
 * successor (once the revision is in effect at `asOf`, for blocs still usable when it took effect).
 */
function carryOver(direct: Map<string, Map<string, Held>>, referential: ReadonlyMap<string, ReferentialEntry>, asOf: string): Map<string, Map<string, Held>> {
  const held = new Map<string, Map<string, Held>>();
  for (const [rncp, blocs] of direct) held.set(rncp, new Map(blocs));
  // Follow lineages in order of validity so a bloc can travel RNCP12505 → RNCP32340 → RNCP38665.
  const ordered = [...referential.values()].sort((a, b) => (a.version.validFrom < b.version.validFrom ? -1 : 1));
  for (const { version, revision } of ordered) {
    if (!revision || revision.effectiveOn > asOf) continue;
    const from = held.get(version.rncp);
    if (!from) continue;
    for (const c of revision.correspondences) {
      const sources = c.from.map((code) => from.get(code));
      // Usable on the day the revision took effect: a lapse recorded later (its usableUntil after that day)
      // ends its use toward the old version only, not the correspondence already made.
      const usableThen = sources.every((h) => h && usableUntilOf(version, h.acquiredOn) >= revision.effectiveOn);
      if (!usableThen) continue;
      const target = held.get(revision.successor) ?? new Map<string, Held>();
      if (!target.has(c.to)) {
        const acquiredOn = sources
          .map((h) => h!.acquiredOn)
          .sort()
          .at(-1)!;
        target.set(c.to, { acquiredOn, via: { kind: 'correspondence', from: version.rncp, blocs: c.from } });
      }
      held.set(revision.successor, target);
    }
  }
  return held;
}
