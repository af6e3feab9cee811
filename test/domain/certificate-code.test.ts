import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { certificateCodeFromBytes, CERTIFICATE_CODE_BYTES, parseCertificateCode } from '../../domain/certificate-code.js';
import { CERTIFICATE_CODE_PATTERN } from '../../events/certificate.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK = `${ALPHABET}*~$=U`;
const bytes = fc.uint8Array({ minLength: CERTIFICATE_CODE_BYTES, maxLength: CERTIFICATE_CODE_BYTES });
const bigIntOf = (b: Uint8Array) => b.reduce((v, byte) => (v << 8n) | BigInt(byte), 0n);
const compact = (code: string) => code.replace(/-/g, '');

describe('certificate codes', () => {
  it('encodes 80 bits as 16 Crockford symbols and the mod-37 check symbol, grouped 4-4-4-5', () => {
    expect(certificateCodeFromBytes(new Uint8Array(10))).toBe('0000-0000-0000-00000');
    const ones = new Uint8Array(10).fill(255);
    expect(certificateCodeFromBytes(ones)).toBe(`ZZZZ-ZZZZ-ZZZZ-ZZZZ${CHECK[Number(bigIntOf(ones) % 37n)]}`);
  });

  test.prop([bytes])('the symbols are the bits of the bytes, the check symbol their value mod 37', (b) => {
    const code = certificateCodeFromBytes(b);
    expect(code).toMatch(CERTIFICATE_CODE_PATTERN);
    const symbols = compact(code).slice(0, 16);
    expect([...symbols].reduce((v, s) => v * 32n + BigInt(ALPHABET.indexOf(s)), 0n)).toBe(bigIntOf(b));
    expect(compact(code)[16]).toBe(CHECK[Number(bigIntOf(b) % 37n)]);
  });

  test.prop([bytes])('reads back what people type: any case, spaces or no hyphens, O for 0, I or L for 1', (b) => {
    const code = certificateCodeFromBytes(b);
    expect(parseCertificateCode(code)).toBe(code);
    expect(parseCertificateCode(code.toLowerCase())).toBe(code);
    expect(parseCertificateCode(compact(code))).toBe(code);
    expect(parseCertificateCode(` ${code.replace(/-/g, ' ')} `)).toBe(code);
    expect(parseCertificateCode(code.replace(/0/g, 'O').replace(/1/g, (_, i: number) => (i % 2 ? 'l' : 'I')))).toBe(code);
  });

  test.prop([bytes, fc.nat(15), fc.nat(30)])('catches any single mistyped symbol by its check symbol', (b, position, shift) => {
    const chars = [...compact(certificateCodeFromBytes(b))];
    chars[position] = ALPHABET[(ALPHABET.indexOf(chars[position]!) + 1 + shift) % 32]!;
    expect(parseCertificateCode(chars.join(''))).toBeUndefined();
  });

  test.prop([bytes, fc.nat(14)])('catches two swapped neighbours', (b, position) => {
    const chars = [...compact(certificateCodeFromBytes(b))];
    fc.pre(chars[position] !== chars[position + 1]);
    [chars[position], chars[position + 1]] = [chars[position + 1]!, chars[position]!];
    expect(parseCertificateCode(chars.join(''))).toBeUndefined();
  });

  it('refuses what cannot be a code: wrong length, U or punctuation among the symbols, a wrong check symbol', () => {
    const code = certificateCodeFromBytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(parseCertificateCode(code.slice(0, -1))).toBeUndefined();
    expect(parseCertificateCode(`${code}0`)).toBeUndefined();
    expect(parseCertificateCode(`U${code.slice(1)}`)).toBeUndefined();
    expect(parseCertificateCode(`*${code.slice(1)}`)).toBeUndefined();
    expect(parseCertificateCode('')).toBeUndefined();
    expect(parseCertificateCode('x'.repeat(10_000))).toBeUndefined();
    const wrongCheck = code.slice(0, -1) + CHECK[(CHECK.indexOf(code.at(-1)!) + 1) % 37];
    expect(parseCertificateCode(wrongCheck)).toBeUndefined();
  });

  it('takes exactly 10 random bytes', () => {
    expect(() => certificateCodeFromBytes(new Uint8Array(8))).toThrow(RangeError);
  });
});
