export const textual = (contentType: string | undefined) => !contentType || /^(text\/|application\/(json|problem\+json|vc\+jwt|javascript))/.test(contentType);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's text, or undefined when its bytes are not UTF-8 (JSON is UTF-8: such a body is refused, never repaired with U+FFFD). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export const NOT_UTF8_DETAIL = 'the body is not valid UTF-8';
