import { createHash } from 'node:crypto';
import { CERTIFICATE_CODE_PATTERN } from '../../events/certificate.js';

/**
 * A certificate code as logs may hold it: its SHA-256 truncated to 48 bits. Whoever holds a code learns from the
 * code alone what the certificate says (GET /verify/{code}), so a log line must not give codes away; the hash
 * still lets an operator follow one code through the logs, and find the lines of a code they are given.
 * A code has about 80 bits of entropy: 48 bits of hash name it without letting anyone enumerate it back.
 */
export const loggableCode = (code: string) => `code#${createHash('sha256').update(code.toUpperCase()).digest('hex').slice(0, 12)}`;

/** Whether a path segment (percent-decoded, in any case) is a certificate code. */
export const isCodeSegment = (segment: string) => {
  try {
    return CERTIFICATE_CODE_PATTERN.test(decodeURIComponent(segment).toUpperCase());
  } catch {
    return false;
  }
};
