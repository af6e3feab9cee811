import * as z from '../../events/zod.js';
import { parseCertificateCode } from '../../domain/certificate-code.js';
import { notFound } from '../../domain/errors.js';
import { certificateStatus, statusOn, type CertificateDoc } from '../projections/certificate-status.js';
import type { PersonalData } from '../ports/person-vault.js';
import { isTally, type VerificationRecord, visibleWindow } from '../ports/verification-log.js';
import type { LedgerDeps } from '../shared/deps.js';
import { ledgerDate } from '../shared/ledger-date.js';
import { RateLimitedError } from '../shared/problem.js';
import { ok, type HttpRequest, type HttpResponse } from '../shared/route.js';
import { catalogueEntry } from './certificate-facts.js';
import { readDoc } from '../projections/projection.js';
import { loggableCode } from '../shared/loggable.js';

/**
 * A code as it arrives in a path: anything a person may type for one (Crockford symbols in any case, the check
 * symbols, hyphens, spaces). Whether it is a code at all is decided after, so malformed and unknown codes get
 * the same answer.
 */
export const CodeParams = z.object({ code: z.string().check(z.regex(/^[0-9A-Za-z*~$= -]{1,64}$/, 'the characters of a certificate code')) });

/**
 * A code on a public route: any text. The public learns nothing from the answer's shape, so a malformed code gets
 * the very 404 of an unknown one (API.md), never a 400 that would tell the two apart.
 */
export const PublicCodeParams = z.object({ code: z.string() });

/** The one answer for an unknown, a malformed and a not-yet-issued code: same status, same bytes. */
export const certificateNotFound = () => notFound('certificate-not-found', 'no certificate answers to this code');

/** The certificate a typed code designates, or undefined (malformed codes never reach the table). */
export async function certificateByCode(deps: Pick<LedgerDeps, 'readModels'>, typed: string): Promise<CertificateDoc | undefined> {
  const code = parseCertificateCode(typed);
  return code ? (await readDoc<CertificateDoc>(deps.readModels, certificateStatus, code))?.doc : undefined;
}

/**
 * Counts one public request of the caller's address (verify, credential, PDF: one budget) and looks the code
 * up at the same time, so the limiter adds no wait; refused requests learn nothing of the code.
 */
export async function limitedLookup(deps: LedgerDeps, request: Pick<HttpRequest, 'sourceIp'>, typed: string): Promise<{ doc: CertificateDoc | undefined }> {
  const limiter = deps.rateLimiter;
  const [count, doc] = await Promise.all([limiter.take(`public#${request.sourceIp}`, Date.now()), certificateByCode(deps, typed)]);
  if (count.admitted === 0) {
    const seconds = Math.max(1, Math.ceil((count.resetAt - Date.now()) / 1000));
    throw new RateLimitedError(seconds);
  }
  return { doc };
}

/** Public: each status and the date it took effect. The reason and legal basis go to the holder and the DREETS only (their record). */
export const HistoryEntry = z.object({ status: z.enum(['valid', 'suspended', 'revoked']), on: z.string() });

export const VerificationAnswer = z.object({
  code: z.string(),
  /** `not_yet_issued`: asked for a date before the issue date (the code exists, it did not yet then). */
  status: z.enum(['valid', 'suspended', 'revoked', 'not_yet_issued']),
  statusSince: z.optional(z.string()),
  kind: z.enum(['titre', 'ccp', 'ccs']),
  certification: z.object({ rncp: z.string(), title: z.string(), level: z.number() }),
  blocs: z.array(z.object({ code: z.string(), title: z.string() })),
  issuedAt: z.string(),
  holder: z.object({ display: z.string() }),
  familyNameMatches: z.optional(z.boolean()),
  asOf: z.string(),
  history: z.array(HistoryEntry),
  ledger: z.object({ stream: z.string(), version: z.number(), hash: z.string() }),
});

export const ERASED_HOLDER = '(données effacées)';

/** "C. M****": the first initial of the given names and of the family name, nothing more. */
export function maskedHolder(person: PersonalData | undefined): string {
  const initial = (s: string | undefined) => s?.trim().charAt(0).toLocaleUpperCase('fr');
  const family = initial(person?.familyName);
  if (!family) return ERASED_HOLDER;
  const given = initial(person?.givenNames);
  return `${given ? `${given}. ` : ''}${family}****`;
}

/** Family names compared without case, accents, ligatures, hyphens, apostrophes or extra spaces. */
export const comparableName = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('fr')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export interface VerifyInput {
  typedCode: string;
  familyName?: string;
  asOf?: string;
  request: Pick<HttpRequest, 'sourceIp' | 'requestId'>;
}

/**
 * GET /verify/{code}: the minimum an employer needs, for today or a past date. One round trip on the way: the
 * certificate's read model (read with the other verifications in flight); the limiter answers from its lease,
 * the holder's initials and the catalogue from short-lived caches, and the verification record is written
 * after the answer, grouped with others.
 */
export async function verifyCertificate(deps: LedgerDeps, input: VerifyInput): Promise<HttpResponse> {
  const { doc } = await limitedLookup(deps, input.request, input.typedCode);
  if (!doc) throw certificateNotFound();
  const today = ledgerDate(deps.clock.now());
  const asOf = input.asOf && input.asOf < today ? input.asOf : today;
  // Before the issue date the code is known and answers so: a 404 would tell the employer it was never issued.
  const then = statusOn(doc, asOf) ?? { status: 'not_yet_issued' as const, history: [] };

  const [entry, person] = await Promise.all([catalogueEntry(deps, doc.rncp), deps.vault.get(doc.candidateId)]);
  if (!entry) throw new Error(`certificate ${doc.code} names ${doc.rncp}, which the catalogue does not have`);
  const familyNameMatches = input.familyName === undefined ? undefined : person?.familyName !== undefined && comparableName(person.familyName) === comparableName(input.familyName);
  const ledger = await issuanceCoordinates(deps, doc);

  // Recorded after the answer, with others (the log flushes within milliseconds, on shutdown, and at the end of
  // a Lambda invocation): the verifier does not wait for the write.
  deps.verifications
    .record({
      code: doc.code,
      at: deps.clock.now(),
      requestId: input.request.requestId,
      status: then.status,
      asOf,
      familyNameChecked: familyNameMatches !== undefined,
      ...(familyNameMatches !== undefined ? { familyNameMatches } : {}),
    })
    .catch((error: unknown) => deps.logger.error('verification record not written', { code: loggableCode(doc.code), requestId: input.request.requestId, error: error as Error }));

  return ok({
    code: doc.code,
    status: then.status,
    ...(then.history.length ? { statusSince: then.history.at(-1)!.on } : {}),
    kind: doc.kind,
    certification: { rncp: doc.rncp, title: entry.version.title, level: entry.version.level },
    blocs: doc.blocs.map((code) => ({ code, title: [...entry.version.blocs, ...entry.version.ccs].find((b) => b.code === code)?.title ?? code })),
    issuedAt: doc.issuedOn,
    holder: { display: maskedHolder(person) },
    ...(familyNameMatches !== undefined ? { familyNameMatches } : {}),
    asOf,
    history: then.history.map(({ status, on }) => ({ status, on })),
    ledger,
  });
}

/** The issuance commit's coordinates; its hash is in the read model once the documents are attached. */
async function issuanceCoordinates(deps: LedgerDeps, doc: CertificateDoc) {
  if (doc.issuance.hash) return { stream: doc.issuance.stream, version: doc.issuance.version, hash: doc.issuance.hash };
  const first = (await deps.store.read(doc.issuance.stream)).commits[0]!;
  return { stream: first.stream, version: first.version, hash: first.hash };
}

/**
 * A line of the holder's list: one verification (with the date it was answered for), or, past a day's first
 * VERIFICATIONS_KEPT_PER_DAY, the `count` of that day's further ones with one outcome, from `firstAt` to `at`.
 */
export type PublicVerification = Omit<VerificationRecord, 'code' | 'requestId' | 'asOf'> & { asOf?: string; count?: number; firstAt?: string };

/** The verifications of a certificate, oldest first, as its holder sees them (for the candidate's record too). */
export async function verificationsOf(deps: LedgerDeps, code: string): Promise<PublicVerification[]> {
  const entries = await deps.verifications.list(code, visibleWindow(deps.clock.now()));
  return entries.map((entry) => {
    if (isTally(entry)) {
      const { code: _, ...tally } = entry;
      return tally;
    }
    const { code: _, requestId: __, ...visible } = entry;
    return visible;
  });
}
