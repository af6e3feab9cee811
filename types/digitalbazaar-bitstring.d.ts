declare module '@digitalbazaar/bitstring' {
  export class Bitstring {
    constructor(options: { length?: number; buffer?: Uint8Array; leftToRightIndexing?: boolean });
    length: number;
    bits: Uint8Array;
    set(position: number, on: boolean): void;
    get(position: number): boolean;
    /** base64url (no padding) of the GZIP-compressed bits. */
    encodeBits(): Promise<string>;
    static decodeBits(options: { encoded: string }): Promise<Uint8Array>;
  }
}
