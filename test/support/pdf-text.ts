import { inflateSync } from 'node:zlib';

/** The visible text of a pdfkit PDF: its Flate streams inflated, the hex strings of their TJ arrays joined (latin1). */
export function pdfVisibleText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  const raw = buffer.toString('latin1');
  const parts: string[] = [];
  for (let at = raw.indexOf('stream'); at >= 0; at = raw.indexOf('stream', at + 6)) {
    let start = at + 6;
    if (raw[start] === '\r') start++;
    if (raw[start] === '\n') start++;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const content = inflateSync(buffer.subarray(start, end)).toString('latin1');
      // pdfkit splits a line's text wherever it kerns: one part per text object, its pieces joined back.
      for (const block of content.split(/\bET\b/)) parts.push([...block.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')).join(''));
    } catch {
      // not a Flate stream (an image, say)
    }
  }
  return parts.filter(Boolean).join('\n');
}
