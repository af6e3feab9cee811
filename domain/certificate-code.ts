/**
 * Certificate codes: 80 random bits in Crockford's base32 (16 symbols) and Crockford's mod-37 check symbol,
 * printed in groups: `7KQ2-M9XD-4HTB-P3WXK` (the last group carries the check symbol). A code is never derived
 * from a sequence: the bytes come from a CSPRNG outside this (pure) module.
 */

/** Crockford's base32: digits and letters without I, L, O and U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** The check symbols: the 32 of the alphabet, then `* ~ $ = U` for the values 32 to 36. */
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;

export const CERTIFICATE_CODE_BYTES = 10;
const SYMBOLS = (CERTIFICATE_CODE_BYTES * 8) / 5;

const checkSymbol = (symbols: string): string => {
  let remainder = 0;
  for (const s of symbols) remainder = (remainder * 32 + ALPHABET.indexOf(s)) % 37;
  return CHECK_SYMBOLS[remainder]!;
};

const group = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8, 12)}-${compact.slice(12)}`;

/** The code of 10 random bytes (80 bits, big-endian, 5 bits per symbol), with its check symbol, grouped. */
export function certificateCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== CERTIFICATE_CODE_BYTES) throw new RangeError(`a certificate code takes ${CERTIFICATE_CODE_BYTES} random bytes, not ${bytes.length}`);
  let symbols = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      symbols += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return group(symbols + checkSymbol(symbols));
}

/**
 * The canonical code a person typed, or undefined when it cannot be one: case ignored, O read as 0, I and L as
 * 1, hyphens and spaces ignored, and the check symbol verified, so a typo is caught before any lookup.
 */
export function parseCertificateCode(input: string): string | undefined {
  if (input.length > 64) return undefined;
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== SYMBOLS + 1) return undefined;
  const symbols = compact.slice(0, SYMBOLS);
  for (const s of symbols) if (!ALPHABET.includes(s)) return undefined;
  if (compact[SYMBOLS] !== checkSymbol(symbols)) return undefined;
  return group(compact);
}
