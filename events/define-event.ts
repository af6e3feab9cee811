import * as z from './zod.js';

/**
 * One event type with all the versions ever stored. A published version is never edited: a change adds a
 * version and an upcaster from the one before, so stored events of every age decode to the current shape.
 */
export interface EventDefinition<T extends string, Current> {
  readonly type: T;
  readonly latest: number;
  readonly versions: Readonly<Record<number, z.ZodMiniType>>;
  readonly schema: z.ZodMiniType<Current>;
  /** Parse `data` stored at `schemaVersion` and upcast it to the latest version. */
  upcast(schemaVersion: number, data: unknown): Current;
}

type Upcasters = Readonly<Record<number, (data: any) => unknown>>;

export function defineEvent<T extends string, S extends z.ZodMiniType>(
  type: T,
  versions: Readonly<Record<number, z.ZodMiniType>> & { readonly latest: S },
  upcasters: Upcasters = {},
): EventDefinition<T, z.output<S>> {
  const { latest: schema, ...older } = versions;
  const numbers = Object.keys(older)
    .map(Number)
    .sort((a, b) => a - b);
  const latest = (numbers.at(-1) ?? 0) + 1;
  const all: Record<number, z.ZodMiniType> = { ...older, [latest]: schema };
  return {
    type,
    latest,
    versions: all,
    schema: schema as z.ZodMiniType<z.output<S>>,
    upcast(schemaVersion, data) {
      const stored = all[schemaVersion];
      if (!stored) throw new UnknownEventVersionError(type, schemaVersion);
      let value: unknown = stored.parse(data);
      // Stored at the latest version (most events): parsed once, not a second time against the same schema.
      if (schemaVersion === latest) return value as z.output<S>;
      for (let v = schemaVersion; v < latest; v++) {
        const up = upcasters[v];
        if (!up) throw new UnknownEventVersionError(type, v);
        value = up(value);
      }
      return schema.parse(value);
    },
  };
}

export class UnknownEventVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super(`no schema for ${eventType} v${schemaVersion}`);
  }
}

export const IsoDate = z.iso.date();
export const IsoInstant = z.iso.datetime({ offset: false });
/**
 * What no name or label a person types holds, and what would disguise one on a PDF or a page: control characters
 * (C0, DEL, C1), line and paragraph separators, lone UTF-16 surrogates (no character at all), and format characters
 * (Unicode category Cf: bidi embeddings, overrides and isolates that reorder it, and the invisible ones, U+200B,
 * U+FEFF, U+00AD…, that make "Du\u200Bpont" another name than "Dupont"). The two joiners (U+200C, U+200D) stay
 * where writing needs them: between letters of scripts other than Latin, Greek and Cyrillic (Persian, Indic), and
 * U+200D inside an emoji sequence.
 */
const SCRIPT_LETTER = String.raw`[[\p{L}\p{M}]--[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]]`;
const EMOJI = String.raw`[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]`;
const NEEDED_JOINER = String.raw`(?<=${SCRIPT_LETTER})[\u200C\u200D](?=${SCRIPT_LETTER})|(?<=${EMOJI})\u200D(?=\p{Extended_Pictographic})`;
const DISGUISING = new RegExp(String.raw`[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]|(?!${NEEDED_JOINER})\p{Cf}`, 'v');
/** The same, but a line feed (free text of several lines: a reason, a legal basis) is not one. */
const DISGUISING_IN_TEXT = new RegExp(String.raw`[[\p{Cc}--\n]\p{Cs}\p{Zl}\p{Zp}]|(?!${NEEDED_JOINER})\p{Cf}`, 'v');

/**
 * The one refinement of what people type and the ledger shows (names, labels, free text): nothing that hides,
 * reorders or breaks what a reader sees. Only at the route and command boundary: stored events keep decoding.
 */
export const shownAsTyped = (what: string, lines: 'one line' | 'several lines' = 'one line') =>
  z.refine<string>(
    (text) => !(lines === 'one line' ? DISGUISING : DISGUISING_IN_TEXT).test(text),
    `${what} without control characters${lines === 'one line' ? ', line breaks' : ''}, bidi overrides, invisible format characters or lone surrogates`,
  );

/** A person's name (a candidate's family or given names, a juror's name), trimmed, refused when it holds one of those. */
export const PersonName = z.string().check(z.trim(), z.minLength(1), z.maxLength(200), shownAsTyped('a name'));

/** A label people type that pages and PDFs show on one line (a centre's name, printed as the jury's lieu). */
export const Label = z.string().check(z.trim(), z.minLength(1), z.maxLength(200), shownAsTyped('a label'));

/** Free text people type that is shown (a reason, a legal basis, measures): line breaks allowed, nothing else hidden. */
export const shownText = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max), shownAsTyped('a text', 'several lines'));

/**
 * Where free text an agent or a jury typed about a decision concerning a person (a reason, a legal basis) is
 * kept: a note in that person's vault entry, erased with them (DESIGN.md rule 9). The event carries only this
 * reference, an HMAC under the person's own secret, which tells nothing of the text once their key is destroyed.
 */
export const NoteRef = z.string().check(z.regex(/^[0-9a-f]{32}$/, 'a note reference: 32 hexadecimal digits'));

export const Id = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id of letters, digits, _ or -'));
export const RncpCode = z.string().check(z.regex(/^[A-Z][A-Z0-9]{2,19}$/, 'a certification code such as RNCP38665'));
export const BlocCode = z.string().check(z.regex(/^[A-Z][A-Z0-9]{2,31}$/, 'a bloc code such as RNCP38665BC01'));
